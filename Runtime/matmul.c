#include "adjoint_runtime.h"
