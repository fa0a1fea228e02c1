/* version.c - the linked library's version, compared by generated code. */
#include <aero/common.h>

AERO_API int aero_version_number(void) { return AERO_VERSION_NUMBER; }

AERO_API const char *aero_version_string(void) { return "0.1.0"; }
