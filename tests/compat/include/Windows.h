/* The tutorial includes <Windows.h>; mingw-w64 names the header windows.h. */
#include <windows.h>
