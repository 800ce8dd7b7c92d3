// Moving an office's queue to another store — from the SQLite file in its data folder to a
// PostgreSQL database when it outgrows one machine (`clee-intake migrate`): every table (packets
// with their reports, files, documents and page texts, findings, decisions, the audit log, the
// CLEE ID counters, source records and attempts) is copied in one transaction on the destination,
// then both sides are read back and compared table by table: row count and a content hash
// (sha256 over the sorted hashes of canonically encoded rows, so neither collation nor row order
// matters). The originals stay where they are: both stores use the same data folder.
//
// A destination that already holds a queue is never merged into: when it holds exactly this
// queue (every count and hash equal) the copy is reported as done before, and nothing is written;
// otherwise it is refused. Run it with the daemons stopped: what is written to the source after
// its snapshot was read is not copied.
#pragma once

#include <string>
#include <vector>

#include "queue/store.h"

namespace clee {

struct TableDigest {
  std::string table;
  uint64_t rows = 0;
  std::string sha256;
};

struct MigrationReport {
  std::vector<TableDigest> from, to;  // same tables, same order
  bool done_before = false;           // the destination already held this very queue
  uint64_t originals = 0;             // distinct originals the packets name
  uint64_t originals_missing = 0;     // of those, not in the data folder's objects/
  bool verified() const;              // every count and hash equal
};

// The tables of a queue, digested (on a consistent snapshot).
Result<std::vector<TableDigest>> digest_queue(Store& store);

// Copies `from` into `to` (see above). Code::kStoreError when `to` holds another queue, or when
// the copy does not read back equal (then nothing was committed).
Result<MigrationReport> migrate_queue(Store& from, Store& to);

}  // namespace clee
