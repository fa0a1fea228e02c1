// The generated headers compile as C++ (-Wall -Wextra -Werror -pedantic).
#include "ok_all_types.aero.h"
#include "users.aero.h"

int aerogen_cpp_check();

int aerogen_cpp_check() {
    sample s = SAMPLE_INIT;
    user u = USER_INIT;
    file_chunk f = FILE_CHUNK_INIT;
    s.has_ratio = true;
    u.name = "x";
    return (int)(s.has_ratio + (u.name != nullptr) + (f.n == 0) + SAMPLE_FIELD_COUNT);
}
