#include "kcsan/output.h"
