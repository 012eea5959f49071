// glibc's malloc.h, which Swift's Glibc module does not import: mallinfo2 and malloc_trim
// for keeper-bench's heap figures.
#include <malloc.h>
