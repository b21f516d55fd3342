"""The timing loop the Keras/PyTorch side-by-side scripts share: the same method as
`learn bench` (warm up, then the best of `rounds` rounds of `steps` steps)."""
import time


def best_step_seconds(step, rounds, steps, warmup):
    """Seconds per call of `step` in the fastest round."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - start) / steps)
    return min(times)
