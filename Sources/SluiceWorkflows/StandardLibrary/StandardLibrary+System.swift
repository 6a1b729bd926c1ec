import OrderedCollections

/// The `sys`, `http`, `events`, `uuid`, `retry` and `time` modules.
extension StandardLibrary {
    private static let httpParams = [
        "url", "timeout", "body", "headers", "query", "auth", "private_service_name", "ca_certificate",
    ]

    static let system: [LibraryFunction] = [
        .pure("sys.get_env", ["name", "default"], required: 1) { args, context throws(WorkflowError) in
            let name = try args.string("name")
            if let value = context.environment.variables[name] { return .string(value) }
            if let fallback = args["default"] { return fallback }
            throw .keyError("environment variable '\(name)' is not defined")
        },
        .effect("sys.now", []),
        .effect("sys.sleep", ["seconds"], required: 1),
        .effect("sys.sleep_until", ["time"], required: 1),
        .effect("sys.log", ["data", "severity", "text", "json", "timeout"]),
        .effect("http.get", httpParams, required: 1),
        .effect("http.post", httpParams, required: 1),
        .effect("http.put", httpParams, required: 1),
        .effect("http.patch", httpParams, required: 1),
        .effect("http.delete", httpParams, required: 1),
        .effect("http.request", ["method"] + httpParams, required: 2),
        .effect("events.create_callback_endpoint", ["http_callback_method"]),
        .effect("events.await_callback", ["callback", "timeout"], required: 1),
        .effect("uuid.generate", []),
        .pure("http.default_retry_predicate", ["exception"]) { args, _ in
            .bool(RetryPredicates.evaluate("http.default_retry_predicate", args.value("exception")))
        },
        .pure("http.default_retry_predicate_non_idempotent", ["exception"]) { args, _ in
            .bool(RetryPredicates.evaluate("http.default_retry_predicate_non_idempotent", args.value("exception")))
        },
        .pure("retry.always", ["exception"]) { _, _ in .bool(true) },
        .pure("retry.never", ["exception"]) { _, _ in .bool(false) },
        .pure("time.format", ["seconds", "timezone"], required: 1) { args, _ throws(WorkflowError) in
            let zone = args["timezone"]?.stringValue ?? "UTC"
            return .string(try TimeText.format(seconds: try args.number("seconds"), timezone: zone))
        },
        .pure("time.parse", ["value"]) { args, _ throws(WorkflowError) in
            .double(try TimeText.parse(try args.string("value")))
        },
    ]
}
