import SluiceStack

/// The example ML pipeline (`ops/examples/ml-pipeline`), embedded so `sluice serve` can apply it
/// from any directory.
enum ExampleStack {
    static let path = "(embedded) ops/examples/ml-pipeline/stack.yaml"

    static var text: String { String(decoding: PackageResources.stack_yaml, as: UTF8.self) }

    static var source: EmbeddedStackSource {
        EmbeddedStackSource(files: [
            "pipeline.yaml": PackageResources.pipeline_yaml,
            "model/digits.json": PackageResources.digits_json,
        ])
    }
}
