import Adjoint

/// The 8×8 handwritten digits (Sources/Examples/Data/digits.csv, 1797 samples; see the README
/// there for origin and license), as tensors ready for a classifier.
public struct Digits: Sendable {
    /// One row per image: 64 pixels scaled from 0…16 to 0…1. Shape `[count, 64]`.
    public var images: Tensor
    /// The digit shown by each image, 0…9.
    public var labels: [Int]

    /// Images (one row of 64 each) and their labels.
    public init(images: Tensor, labels: [Int]) {
        precondition(images.rank == 2 && images.shape[0] == labels.count, "Digits: one image row per label")
        self.images = images
        self.labels = labels
    }

    /// Number of samples.
    public var count: Int { labels.count }

    /// The labels one-hot encoded: shape `[count, 10]`.
    public var oneHotLabels: Tensor {
        var scalars = [Double](repeating: 0, count: count * 10)
        for (i, label) in labels.enumerated() { scalars[i * 10 + label] = 1 }
        return Tensor(shape: [count, 10], scalars: scalars)
    }

    /// The file shipped with the examples, found from this source file's location.
    public static let defaultPath: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)  // ExampleSupport/Digits.swift
        return (parts + ["Data", "digits.csv"]).joined(separator: "/")
    }()

    /// Loads the data set from `path`: lines of 64 pixel values and a label, comma-separated.
    public static func load(from path: String = defaultPath) throws(DataError) -> Digits {
        let text = try TextFile.read(path)
        var pixels: [Double] = []
        var labels: [Int] = []
        for (number, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: ",").compactMap { Int($0.filter { !$0.isWhitespace }) }
            guard fields.count == 65, let label = fields.last, (0...9).contains(label),
                  fields.dropLast().allSatisfy({ (0...16).contains($0) }) else {
                throw DataError("\(path):\(number + 1): expected 64 pixels in 0...16 and a label in 0...9")
            }
            pixels += fields.dropLast().map { Double($0) / 16 }
            labels.append(label)
        }
        return Digits(images: Tensor(shape: [labels.count, 64], scalars: pixels), labels: labels)
    }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Digits {
        let rows = images.scalars
        var scalars: [Double] = []
        scalars.reserveCapacity(indices.count * 64)
        for i in indices { scalars += rows[(i * 64)..<(i * 64 + 64)] }
        return Digits(images: Tensor(shape: [indices.count, 64], scalars: scalars), labels: indices.map { labels[$0] })
    }

    /// A random split, repeatable for a given seed: `testFraction` of the samples held out.
    public func split(testFraction: Double, seed: UInt64) -> (train: Digits, test: Digits) {
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        let testCount = Int((Double(count) * testFraction).rounded())
        return (subset(Array(order[testCount...])), subset(Array(order[..<testCount])))
    }
}

/// A data file that could not be read or parsed.
public struct DataError: Error, CustomStringConvertible {
    /// What went wrong, with the file and line.
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}
