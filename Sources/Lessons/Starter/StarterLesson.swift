import Foundation

/// Writes a new lesson folder that runs as it is: `learn new NAME` (a commented
/// `lesson.yaml` — a small network on the two spirals — with a narrative and
/// exercises) or `learn new NAME --from LESSON` (a copy of an existing lesson's
/// folder to change). The folder is written under a temporary name beside its
/// place and renamed when complete, so a failure leaves nothing half-written.
///
/// ```swift
/// let folder = try StarterLesson.write(at: URL(fileURLWithPath: "my-lesson"))
/// // learn lesson ./my-lesson
/// ```
public enum StarterLesson {
    /// Writes the starter (or, with `template`, a copy of that lesson folder) at `folder`,
    /// which must not exist yet and whose name must be a lesson name.
    @discardableResult
    public static func write(at folder: URL, from template: URL? = nil) throws -> URL {
        let folder = folder.standardizedFileURL
        let name = folder.lastPathComponent
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_-]*$", options: .regularExpression) != nil else {
            throw LessonError.noLessonFolder(folder.path, reason: "'\(name)' is not a lesson name (letters, digits, "
                                             + "'-' and '_'); it names the lesson and its output folder")
        }
        guard !FileManager.default.fileExists(atPath: folder.path) else {
            throw LessonError.noLessonFolder(folder.path, reason: "it exists already; choose a new name")
        }
        let parent = folder.deletingLastPathComponent()
        guard isFolder(parent) else { throw DatasetError.noSuchFolder(parent) }
        let staging = parent.appendingPathComponent(".\(name).new-\(UUID().uuidString)", isDirectory: true)
        do {
            if let template {
                try FileManager.default.copyItem(at: template, to: staging)
            } else {
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
                for (file, text) in files(name: name) {
                    try text.write(to: staging.appendingPathComponent(file), atomically: true, encoding: .utf8)
                }
            }
            try FileManager.default.moveItem(at: staging, to: folder)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        return folder
    }

    /// The starter's files: `lesson.yaml`, `introduction.md`, `exercises.md`.
    static func files(name: String) -> [(String, String)] {
        [("lesson.yaml", lessonYAML(name: name)), ("introduction.md", introduction), ("exercises.md", exercises)]
    }

    static func lessonYAML(name: String) -> String {
        """
        # \(name): a starter lesson written by `learn new`. Run it with
        #   learn lesson ./\(name)            (add --quick for a few-second first look)
        # and change it: every key is explained in the lessons README (lessons/README.md),
        # and any lesson of `learn list` can be copied with `learn new NAME --from LESSON`.
        title: My first lesson            # shown on the gallery page and the handout
        summary: >-
          A small network learns to separate two interleaved spirals; we watch its
          decision boundary form.
        level: beginner                   # beginner | intermediate | advanced
        minutes: 1                        # how long a default run takes
        goals:
          - Read a decision boundary and say where the network is unsure.
        data:
          # Your own data instead (see the README):
          #   dataset: csv, path: flowers.csv, label: species      (a relative path is read from this folder)
          #   dataset: images, path: photos, size: 32, channels: 3 (one sub-folder of PNGs per class)
          dataset: spirals                # or moons, xor, circles, blobs, mnist, ...
          examples: 600                   # training points
          test_examples: 300
          noise: 0.05
          validation_split: 0.2           # held out of training to choose the epoch; the test set is used once
          quick_examples: 200             # with --quick
        model:
          layers:                         # the input size comes from the data
            - {type: Dense, units: 16, activation: relu}
            - {type: Dense, units: 16, activation: relu}
            - {type: Dense, units: 2}     # one output per class
        training:
          loss: softmax_cross_entropy
          optimizer: adam
          learning_rate: 0.01
          epochs: 30
          batch_size: 32
          seed: 42
        record: first=20,every=10        # which steps keep full tensors for the figures
        figures:
          - plot: decision-boundary
            steps: [0, 100, 400]
            caption: >-
              The predicted class over the plane at three steps and after training; the
              dots are the test points.
          - plot: curves
            caption: Loss and accuracy per step; validation per epoch.
        narrative: [introduction.md]
        exercises: exercises.md

        """
    }

    static let introduction = """
        ## What this lesson shows

        A network with two hidden layers of 16 units learns which of two spirals a point
        of the plane belongs to. Write here what a student should look for:

        {{figure: decision-boundary}}

        The boundary starts as a straight cut and winds round the arms as training goes on.

        {{figure: curves}}

        """

    static let exercises = """
        1. Remove one hidden layer (`model.layers`). What happens to the boundary and the test accuracy?
        2. Raise `noise` to 0.2. Which figure shows the points the network can no longer separate?

        """
}
