// Lane-wise square roots as one instruction (vsqrtps). Swift's SIMD8<Float>.squareRoot()
// is lowered lane by lane on Linux, each lane a vsqrtss with a branch to libm's sqrtf
// for negative inputs (errno); Clang's elementwise builtin has no such branch. Both
// round each lane correctly, so the bits are the same.
typedef float learn_float8 __attribute__((ext_vector_type(8)));

static inline __attribute__((always_inline)) learn_float8 learn_sqrt8(learn_float8 x) {
    return __builtin_elementwise_sqrt(x);
}
