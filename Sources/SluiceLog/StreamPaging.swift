/// How readers page through one stream. A page of at most `shortPage` events is a short read,
/// which a log may serve on the calling thread; folds of short-lived streams (resources,
/// executions) read pages of this size so that one read usually holds the whole stream.
public enum StreamPaging {
    public static let shortPage = 256
}
