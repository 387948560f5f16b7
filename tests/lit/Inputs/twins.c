// Two identical functions: mergefunc makes one a thunk to the other.
int twin_a(const int *v, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += v[i] * (i ^ 5) + (v[i] >> 2) - (s & 7);
  return s;
}
int twin_b(const int *v, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += v[i] * (i ^ 5) + (v[i] >> 2) - (s & 7);
  return s;
}
