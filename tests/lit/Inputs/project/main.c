#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 24
uint32_t crc32(uint32_t, const unsigned char *, size_t);
uint32_t adler32(uint32_t, const unsigned char *, size_t);
void sort_ints(int *, size_t);
size_t unique_ints(int *, size_t);
void merge_ints(const int *, size_t, const int *, size_t, int *);
struct table *table_new(size_t);
long *table_put(struct table *, const char *);
long table_sum(const struct table *);
void table_free(struct table *);
void mat_mul(const double[N][N], const double[N][N], double[N][N]);
void mat_transpose(double[N][N]);
double mat_trace(const double[N][N]);
long mat_checksum(const double[N][N]);

static double a[N][N], b[N][N], c[N][N];

int main(void) {
  unsigned char bytes[4096];
  int v[1000], w[1000], merged[2000];
  uint32_t seed = 12345;
  for (size_t i = 0; i < sizeof bytes; i++)
    bytes[i] = (unsigned char)((seed = seed * 1103515245u + 12345u) >> 16);
  for (int i = 0; i < 1000; i++) {
    v[i] = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 500;
    w[i] = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 700;
  }
  sort_ints(v, 1000);
  sort_ints(w, 1000);
  size_t nv = unique_ints(v, 1000);
  merge_ints(v, nv, w, 1000, merged);

  struct table *t = table_new(8);
  char key[16];
  for (size_t i = 0; i < nv + 1000; i++) {
    snprintf(key, sizeof key, "k%d", merged[i] % 97);
    *table_put(t, key) += merged[i];
  }

  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (i * 7 + j * 3) % 11 - 5;
      b[i][j] = (i * 5 + j) % 13 - 6;
    }
  mat_mul(a, b, c);
  mat_transpose(c);

  printf("crc %08x adler %08x unique %zu first %d last %d\n", crc32(0, bytes, sizeof bytes),
         adler32(1, bytes, sizeof bytes), nv, merged[0], merged[nv + 999]);
  printf("table %ld trace %.1f matrix %ld\n", table_sum(t), mat_trace(c), mat_checksum(c));
  table_free(t);
  return 0;
}
