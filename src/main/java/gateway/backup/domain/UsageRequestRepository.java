package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class UsageRequestRepository implements PanacheRepository<UsageRequest> {
}
