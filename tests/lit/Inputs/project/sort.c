#include <stddef.h>
#include <string.h>

static void swap(int *a, int *b) {
  int t = *a;
  *a = *b;
  *b = t;
}

static size_t partition(int *v, size_t lo, size_t hi) {
  int pivot = v[(lo + hi) / 2];
  size_t i = lo, j = hi;
  for (;;) {
    while (v[i] < pivot)
      i++;
    while (v[j] > pivot)
      j--;
    if (i >= j)
      return j;
    swap(&v[i++], &v[j--]);
  }
}

static void insertion(int *v, size_t n) {
  for (size_t i = 1; i < n; i++) {
    int x = v[i];
    size_t j = i;
    for (; j > 0 && v[j - 1] > x; j--)
      v[j] = v[j - 1];
    v[j] = x;
  }
}

void sort_ints(int *v, size_t n) {
  while (n > 16) {
    size_t p = partition(v, 0, n - 1);
    sort_ints(v, p + 1);
    v += p + 1;
    n -= p + 1;
  }
  insertion(v, n);
}

size_t unique_ints(int *v, size_t n) {
  size_t out = 0;
  for (size_t i = 0; i < n; i++)
    if (out == 0 || v[out - 1] != v[i])
      v[out++] = v[i];
  return out;
}

void merge_ints(const int *a, size_t na, const int *b, size_t nb, int *out) {
  size_t i = 0, j = 0, k = 0;
  while (i < na && j < nb)
    out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  memcpy(out + k, a + i, (na - i) * sizeof *a);
  memcpy(out + k + na - i, b + j, (nb - j) * sizeof *b);
}
