#include "queue/sql.h"

namespace clee::sql {

Status Stmt::done() {
  while (step()) {
  }
  if (error()) return *error();
  return Status::Ok();
}

}  // namespace clee::sql
