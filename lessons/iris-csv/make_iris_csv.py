"""Writes iris.csv from the UCI Iris data as SciPy ships it (scipy/io/arff/tests/data/iris.arff).

The data are R. A. Fisher's 1936 measurements (collected by Edgar Anderson) as the
UCI Machine Learning Repository distributes them: 150 flowers, 50 of each of three
species, four measurements in centimetres. Run once; the CSV is committed:

    python3 lessons/iris-csv/make_iris_csv.py PATH/TO/iris.arff
"""
import csv
import sys

source = sys.argv[1]
rows = []
in_data = False
with open(source) as f:
    for line in f:
        line = line.strip()
        if not line or line.startswith("%"):
            continue
        if line.upper().startswith("@DATA"):
            in_data = True
            continue
        if in_data:
            *numbers, species = line.split(",")
            rows.append([*numbers, species.replace("Iris-", "")])
assert len(rows) == 150, len(rows)
with open(__file__.replace("make_iris_csv.py", "iris.csv"), "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"])
    w.writerows(rows)
