// Module contents an adopted snapshot must carry over: an alias, an ifunc,
// module-level assembly, a constructor, a used-but-unreferenced global, a
// section attribute, thread-locals and debug info (-g).
#include <stdio.h>

__asm__(".globl llmc_asm_marker\n.set llmc_asm_marker, 42");

static int counter;
__thread int per_thread = 3;
__attribute__((used)) static const char tag[] = "llmc-snapshot";
__attribute__((section(".data.llmc"))) int placed = 7;

static void bump(void) { counter += 2; }
__attribute__((constructor)) static void init(void) { bump(); }

int sum(const int *v, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += v[i] * 3 + 1;
  return s;
}
int total(const int *v, int n) __attribute__((alias("sum")));

static int twice(int x) { return 2 * x; }
static int (*pick(void))(int) { return twice; }
int resolved(int) __attribute__((ifunc("pick")));

int main(void) {
  int v[] = {1, 2, 3, 4};
  printf("%d %d %d %d %d\n", sum(v, 4), total(v, 2), resolved(counter),
         per_thread, placed);
  return 0;
}
