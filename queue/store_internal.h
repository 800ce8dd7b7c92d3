// Pieces the store's translation units share (store*.cpp, sqlite_store.cpp, pg_store.cpp). Not
// part of the queue's interface.
#pragma once

#include <memory>
#include <string>

#include "queue/sql.h"
#include "queue/store.h"

namespace clee {

// The two backends behind Store::open (sqlite_store.cpp, pg_store.cpp).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir, Env* env, StoreOptions options);
Result<std::unique_ptr<Store>> open_pg_store(const std::string& data_dir, Env* env, StoreOptions options);

namespace store_internal {

extern const char* kRecordColumns;  // the SELECT list read_record expects
PacketRecord read_record(sql::Stmt& s);
std::string iso(double epoch_seconds);  // "" for 0
std::string random_hex(size_t bytes);   // from OpenSSL's CSPRNG
// The token in a lease owner ("TOKEN.CLAIM"), or "" when `owner` has none.
std::string owner_token(const std::string& owner);

}  // namespace store_internal
}  // namespace clee
