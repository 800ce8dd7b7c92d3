// Text helpers for understanding documents: normalising labels, splitting lines and sentences,
// fuzzy comparison, numbers in prose. Pure functions over UTF-8 strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clee::text {

std::string lower(std::string_view s);
std::string trim(std::string_view s);
// Lower-case, every run of non-alphanumerics → one space, trimmed: "Instructor(s):" → "instructor s".
std::string normalise(std::string_view s);
// Bytes of a Unicode punctuation character (curly quotes, dashes, bullets, no-break space) at
// s[i], 0 when there is none: such characters separate words like ASCII punctuation.
size_t punct_len(std::string_view s, size_t i);
// Trims whitespace, the ASCII characters in `ascii` and whole Unicode punctuation characters
// (never part of one) from both ends: trim_punct("– Topic –", "-:") → "Topic".
std::string trim_punct(std::string_view s, std::string_view ascii);
std::vector<std::string> lines(std::string_view s);
std::vector<std::string> words(std::string_view s);  // normalised words
// Sentences (split on . ! ? and line breaks), trimmed, with their original text.
std::vector<std::string> sentences(std::string_view s);
size_t edit_distance(std::string_view a, std::string_view b, size_t cap = 8);
// A number in prose: "16", "16.5 hours", "Sixteen (16)", "sixteen".
std::optional<double> parse_number(std::string_view s);
// Collapses whitespace (tabs included) to single spaces, for quoting.
std::string squash(std::string_view s);
// Does `haystack` (lower-case) contain `phrase` on word boundaries? "*" suffix = any word ending.
bool contains_phrase(std::string_view haystack_lower, std::string_view phrase_lower, size_t* at = nullptr);
// Share of a's words found in b (0..1).
double word_overlap(std::string_view a, std::string_view b);
// Unicode folding for comparing names: Latin letters lose their accents (é → e, ß → ss, Ø → O,
// Ł → L, ﬁ → fi), curly quotes become straight (’ → '), dashes become '-', no-break spaces become
// spaces; other text is kept. Case is kept (compare after lower()).
std::string fold(std::string_view s);
// The key two names compare by: folded, apostrophes dropped ("O’Brien" = "OBrien" = "O'BRIEN"),
// then normalised (lower case, punctuation to single spaces). "José Núñez-O’Brien" and
// "JOSE NUNEZ-O'BRIEN" have one key.
std::string name_key(std::string_view s);
// Lower-case for ASCII and the Latin-1 and Latin Extended-A capitals (É → é), as UTF-8.
std::string lower_utf8(std::string_view s);

}  // namespace clee::text
