import Hummingbird
public import SluiceResources

/// The Cloud Storage JSON API v1 routes, so google-cloud-storage works against Sluice with
/// `STORAGE_EMULATOR_HOST=http://HOST:PORT`.
public struct StorageRoutes: Sendable {
    let buckets: StorageBucketRoutes
    let objects: StorageObjectRoutes
    let uploads: StorageUploadRoutes

    public init(storage: StorageService, uploadsDirectory: String, maximumBodyBytes: Int = 256 << 20) {
        buckets = StorageBucketRoutes(storage: storage)
        objects = StorageObjectRoutes(storage: storage)
        uploads = StorageUploadRoutes(
            storage: storage, uploadsDirectory: uploadsDirectory, maximumBodyBytes: maximumBodyBytes)
    }

    func add(to routes: RoleRoutes) {
        buckets.add(to: routes)
        objects.add(to: routes)
        uploads.add(to: routes)
    }
}
