package gateway.backup.domain;

import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class DataStorageRepository implements LiveRowRepository<DataStorage> {
}
