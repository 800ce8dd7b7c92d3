// GMime for the two stages that use it, the mail reader (extractors/email.cpp) and the mail
// writer (notify/message.cpp): one initialisation for the whole program (g_mime_init is not
// thread-safe, and a daemon reads and writes mail on different threads), and GPtr<T>, one owned
// GObject reference. Header only: included by targets that link GMime (base itself does not).
#pragma once

#include <gmime/gmime.h>

#include <memory>
#include <mutex>

namespace clee {

inline void gmime_init() {
  static std::once_flag once;  // inline: one flag in the whole program
  std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

}  // namespace clee
