package gateway.backup.api;

import gateway.backup.job.BackupJob;
import gateway.backup.job.JobRegistry;
import gateway.backup.security.Owner;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** Recent backup and restore jobs of this replica, and a job's progress as a subscription. Owner only. */
@GraphQLApi
public class JobsGraphQLApi {

    @Inject
    Owner owner;

    @Inject
    JobRegistry jobs;

    @Query("backupJobs")
    @Description("Recent backup and restore jobs of this replica (kept in memory, bounded), newest first.")
    public @NonNull List<@NonNull BackupJob> backupJobs(@Name("limit") @DefaultValue("20") Integer limit) {
        owner.require();
        return jobs.recent(limit == null ? 20 : Math.max(0, limit));
    }

    @Query("backupJob")
    @Description("One job by id, or null when this replica does not know it (another replica's, or forgotten).")
    public BackupJob backupJob(@Name("id") @NonNull @Id String id) {
        owner.require();
        return jobs.find(id).map(job -> job.snapshot()).orElse(null);
    }

    @Subscription("backupJobProgress")
    @Description("The job now, then a few updates a second while it changes, ending with its final state.")
    public Multi<@NonNull BackupJob> backupJobProgress(@Name("id") @NonNull @Id String id) throws GraphQLException {
        // No owner.require() here: a subscription runs without a request context. The owner check is the
        // HTTP policy on /graphql, which the WebSocket upgrade request passes through (README, Security).
        // Thrown, not a failed Multi: SmallRye GraphQL turns a failed stream into a null item, which breaks the non-null type.
        return jobs.find(id).map(jobs::progress).orElseThrow(() ->
                new GraphQLException("No job " + id + " on this replica; backupJobs lists the known ones"));
    }
}
