// Pieces the store's translation units share (store.cpp, store_check.cpp, store_decide.cpp).
// Not part of the queue's interface.
#pragma once

#include <string>

#include "queue/sql.h"
#include "queue/store.h"

namespace clee::store_internal {

extern const char* kRecordColumns;  // the SELECT list read_record expects
PacketRecord read_record(sql::Stmt& s);
std::string iso(double epoch_seconds);  // "" for 0
std::string random_hex(size_t bytes);   // from OpenSSL's CSPRNG

}  // namespace clee::store_internal
