// The validators: small units that read an understood Report and the rule pack and add findings
// with evidence. The app wires them into the stage runner with make_validators(); the order
// matters only in that completeness decides `complete` and `disposition`.
#pragma once

#include <memory>
#include <vector>

#include "pipeline/runner.h"

namespace clee {

std::unique_ptr<Validator> make_completeness_validator();  // documents, fields, a CV per instructor
std::unique_ptr<Validator> make_consistency_validator();   // hours and title, form vs outline
std::unique_ptr<Validator> make_content_validator();       // advanced vs not approvable
std::unique_ptr<Validator> make_provider_validator();      // certified-provider list
std::unique_ptr<Validator> make_ocr_quality_validator();   // low-confidence OCR pages

std::vector<std::unique_ptr<Validator>> make_validators();

}  // namespace clee
