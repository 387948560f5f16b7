// C++ contents a snapshot must carry over: comdats (templates, inline
// functions, vtables), RTTI and exceptions.
#include <cstdio>
#include <stdexcept>

struct Shape {
  virtual ~Shape() = default;
  virtual int area() const = 0;
};
struct Square : Shape {
  int side;
  explicit Square(int s) : side(s) {}
  int area() const override { return side * side; }
};

template <typename T> T accumulate(const T *v, int n) {
  T s{};
  for (int i = 0; i < n; ++i)
    s += v[i];
  return s;
}

inline int checked(int x) {
  if (x < 0)
    throw std::invalid_argument("negative");
  return x;
}

int main(int argc, char **) {
  int v[] = {1, 2, 3, 4};
  long w[] = {5, 6};
  Square sq(argc + 2);
  const Shape &s = sq;
  int caught = 0;
  try {
    checked(-argc);
  } catch (const std::invalid_argument &) {
    caught = 1;
  }
  std::printf("%d %ld %d %d %s\n", accumulate(v, 4), accumulate(w, 2), s.area(),
              caught, dynamic_cast<const Square *>(&s) ? "square" : "?");
  return 0;
}
