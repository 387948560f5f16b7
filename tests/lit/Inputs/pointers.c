// Two tables of pointers: each pointer is a dynamic relocation in a PIE.
#include <stdio.h>
static const char *const names[] = {"zero", "one", "two", "three", "four"};
static int (*const ops[])(const char *, ...) = {printf, printf};
const char *name(unsigned i) { return i < 5 ? names[i] : "?"; }
int main(int argc, char **argv) { return ops[argc & 1]("%s\n", name(argc)); }
