// A small real-looking module: a loop, a string call, a global table.
#include <string.h>
static int table[64];
int sum(int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += a[i] * 3;
  return s;
}
int work(const char *s) {
  int n = strlen(s);
  for (int i = 0; i < 64; i++)
    table[i] = i * n;
  return sum(table, 64) + sum(table, n % 64);
}
int main(int argc, char **argv) { return work(argv[0]) & 0xff; }
