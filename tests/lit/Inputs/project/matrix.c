#define N 24

void mat_mul(const double a[N][N], const double b[N][N], double c[N][N]) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++)
        s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
}

void mat_transpose(double a[N][N]) {
  for (int i = 0; i < N; i++)
    for (int j = i + 1; j < N; j++) {
      double t = a[i][j];
      a[i][j] = a[j][i];
      a[j][i] = t;
    }
}

double mat_trace(const double a[N][N]) {
  double t = 0;
  for (int i = 0; i < N; i++)
    t += a[i][i];
  return t;
}

long mat_checksum(const double a[N][N]) {
  long h = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      h = h * 31 + (long)(a[i][j] * 16);
  return h;
}
