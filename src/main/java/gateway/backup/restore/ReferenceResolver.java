package gateway.backup.restore;

import gateway.backup.domain.RawSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names of the file → ids here, for usage rows: live projects and channels by name, API keys
 * by value only, with one query per kind per batch for the names the batch brings that are not
 * cached. The caches keep the most recently used names only (at least one batch's worth), so a
 * file with millions of distinct names needs no more memory than one with a few.
 */
final class ReferenceResolver {

    private final Map<String, Optional<Long>> projects;
    private final Map<String, Optional<Long>> channels;
    private final Map<String, Optional<Long>> apiKeys;
    private final Map<Long, Optional<String>> projectNames;
    private final Map<Long, Optional<String>> channelNames;

    /** {@code capacity}: entries per cache; at least the rows of one batch (each row brings one name per kind). */
    ReferenceResolver(int capacity) {
        projects = lru(capacity);
        channels = lru(capacity);
        apiKeys = lru(capacity);
        projectNames = lru(capacity);
        channelNames = lru(capacity);
    }

    private static <K, V> Map<K, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Looks up what this batch needs and the caches do not know yet. */
    Uni<Void> prepare(List<? extends UsageReader.Row> batch) {
        Set<String> newProjects = new LinkedHashSet<>();
        Set<String> newChannels = new LinkedHashSet<>();
        Set<String> newKeys = new LinkedHashSet<>();
        Set<Long> newProjectIds = new LinkedHashSet<>();
        Set<Long> newChannelIds = new LinkedHashSet<>();
        for (UsageReader.Row row : batch) {
            collect(nz(row.projectName), projects, newProjects);
            collect(nz(row.channelName), channels, newChannels);
            collect(nz(row.apiKey), apiKeys, newKeys);
            if (nz(row.projectName).isEmpty() && row.projectId != null && projectNames.get(row.projectId) == null) {
                newProjectIds.add(row.projectId);
            }
            if (nz(row.channelName).isEmpty() && row.channelId != null && channelNames.get(row.channelId) == null) {
                newChannelIds.add(row.channelId);
            }
        }
        return load("select name, id from projects where deleted_at = 0 and name = any($1::text[])", newProjects, projects)
                .chain(() -> load("select name, id from channels where deleted_at = 0 and name = any($1::text[])", newChannels, channels))
                .chain(() -> load("select key, id from api_keys where deleted_at = 0 and key = any($1::text[])", newKeys, apiKeys))
                .chain(() -> loadNames("projects", newProjectIds, projectNames))
                .chain(() -> loadNames("channels", newChannelIds, channelNames));
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    // get, not containsKey: a hit counts as a use, so this batch's names are the last to be evicted.
    private static void collect(String name, Map<String, ?> cache, Set<String> wanted) {
        if (!name.isEmpty() && cache.get(name) == null) {
            wanted.add(name);
        }
    }

    /** A row of a look-up: a live row's name and id. */
    private record NameId(String name, long id) {
        static NameId of(Object[] row) {
            return new NameId((String) row[0], ((Number) row[1]).longValue());
        }
    }

    /** The live rows among {@code names} (typed array parameter, on the transaction's connection). */
    private static Uni<Void> load(String sql, Set<String> names, Map<String, Optional<Long>> cache) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        names.forEach(name -> cache.put(name, Optional.empty()));
        return RawSql.select(Panache.getSession(), sql, (Object) names.toArray(String[]::new))
                .invoke(rows -> rows.forEachRemaining(row -> {
                    NameId found = NameId.of(row);
                    cache.put(found.name(), Optional.of(found.id()));
                }))
                .replaceWithVoid();
    }

    private static Uni<Void> loadNames(String table, Set<Long> ids, Map<Long, Optional<String>> cache) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        ids.forEach(id -> cache.put(id, Optional.empty()));
        return RawSql.select(Panache.getSession(), "select name, id from " + table + " where deleted_at = 0 and id = any($1::bigint[])",
                        (Object) ids.toArray(Long[]::new))
                .invoke(rows -> rows.forEachRemaining(row -> {
                    NameId found = NameId.of(row);
                    cache.put(found.id(), Optional.of(found.name()));
                }))
                .replaceWithVoid();
    }

    /** The project by name; by raw id only when no name was stored and that id exists here. */
    Long project(String name, Long rawId) {
        return resolve(name, rawId, projects, projectNames);
    }

    Long channel(String name, Long rawId) {
        return resolve(name, rawId, channels, channelNames);
    }

    private static Long resolve(String name, Long rawId, Map<String, Optional<Long>> byName,
            Map<Long, Optional<String>> names) {
        if (name != null && !name.isEmpty()) {
            return byName.getOrDefault(name, Optional.empty()).orElse(null);
        }
        return rawId != null && names.getOrDefault(rawId, Optional.empty()).isPresent() ? rawId : null;
    }

    /** API keys only by their value, never by a raw id. */
    Long apiKey(String key) {
        return key == null || key.isEmpty() ? null : apiKeys.getOrDefault(key, Optional.empty()).orElse(null);
    }

    String projectName(Long id) {
        return id == null ? null : projectNames.getOrDefault(id, Optional.empty()).orElse(null);
    }

    String channelName(Long id) {
        return id == null ? null : channelNames.getOrDefault(id, Optional.empty()).orElse(null);
    }
}
