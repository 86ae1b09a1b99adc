import ExampleSupport

/// The seeded generator every test target uses (SplitMix64), so that each random test and each
/// failing fuzz case repeats exactly: the examples' generator, under the name the tests know.
public typealias SplitMix64 = SeededGenerator
