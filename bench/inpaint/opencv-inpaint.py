"""The reference for bench:inpaint: OpenCV's cv2.inpaint (Telea and Navier-Stokes) on the same cases.

Reads a JSON list of cases on stdin: {"image": png, "mask": png, "telea": out png, "ns": out png,
"repeats": n}; writes each result and prints one JSON object per case with the median time (ms) of
each method. Run with Debian's /usr/bin/python3 (apt-get install python3-opencv).
"""
import json
import statistics
import sys
import time

import cv2

RADIUS = 3  # the inpaintRadius used in OpenCV's own samples


def timed(fn, repeats):
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times)


def main():
    cv2.setNumThreads(1)
    for case in json.load(sys.stdin):
        image = cv2.imread(case["image"], cv2.IMREAD_COLOR)
        mask = cv2.imread(case["mask"], cv2.IMREAD_GRAYSCALE)
        mask = (mask > 127).astype("uint8") * 255
        repeats = case.get("repeats", 3)
        telea, telea_ms = timed(lambda: cv2.inpaint(image, mask, RADIUS, cv2.INPAINT_TELEA), repeats)
        ns, ns_ms = timed(lambda: cv2.inpaint(image, mask, RADIUS, cv2.INPAINT_NS), repeats)
        cv2.imwrite(case["telea"], telea)
        cv2.imwrite(case["ns"], ns)
        print(json.dumps({"telea_ms": telea_ms, "ns_ms": ns_ms, "version": cv2.__version__}), flush=True)


if __name__ == "__main__":
    main()
