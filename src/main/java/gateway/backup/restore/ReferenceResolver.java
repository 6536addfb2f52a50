package gateway.backup.restore;

import gateway.backup.domain.ApiKeyRepository;
import gateway.backup.domain.ChannelRepository;
import gateway.backup.domain.NameId;
import gateway.backup.domain.ProjectRepository;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Names of the file → ids here, for usage rows: live projects and channels by name, API keys
 * by value only, with one query per kind per batch for the names the batch brings that are not
 * cached. The caches keep the most recently used names only (at least one batch's worth), so a
 * file with millions of distinct names needs no more memory than one with a few.
 */
final class ReferenceResolver {

    private final ProjectRepository projectRepository;
    private final ChannelRepository channelRepository;
    private final ApiKeyRepository apiKeyRepository;
    private final Map<String, Optional<Long>> projects;
    private final Map<String, Optional<Long>> channels;
    private final Map<String, Optional<Long>> apiKeys;
    private final Map<Long, Optional<String>> projectNames;
    private final Map<Long, Optional<String>> channelNames;

    /** {@code capacity}: entries per cache; at least the rows of one batch (each row brings one name per kind). */
    ReferenceResolver(int capacity, ProjectRepository projectRepository, ChannelRepository channelRepository,
            ApiKeyRepository apiKeyRepository) {
        this.projectRepository = projectRepository;
        this.channelRepository = channelRepository;
        this.apiKeyRepository = apiKeyRepository;
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
        return load(projectRepository::findLiveIdsByName, newProjects, projects)
                .chain(() -> load(channelRepository::findLiveIdsByName, newChannels, channels))
                .chain(() -> load(apiKeyRepository::findLiveIdsByKey, newKeys, apiKeys))
                .chain(() -> loadNames(projectRepository::findLiveNamesById, newProjectIds, projectNames))
                .chain(() -> loadNames(channelRepository::findLiveNamesById, newChannelIds, channelNames));
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

    /** The live rows among {@code names}, found by {@code lookUp}; the others are cached as missing. */
    private static Uni<Void> load(Function<Set<String>, Uni<List<NameId>>> lookUp, Set<String> names,
            Map<String, Optional<Long>> cache) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        names.forEach(name -> cache.put(name, Optional.empty()));
        return lookUp.apply(names).invoke(found -> found.forEach(row -> cache.put(row.name(), Optional.of(row.id()))))
                .replaceWithVoid();
    }

    private static Uni<Void> loadNames(Function<Set<Long>, Uni<List<NameId>>> lookUp, Set<Long> ids,
            Map<Long, Optional<String>> cache) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        ids.forEach(id -> cache.put(id, Optional.empty()));
        return lookUp.apply(ids).invoke(found -> found.forEach(row -> cache.put(row.id(), Optional.of(row.name()))))
                .replaceWithVoid();
    }

    /** Sets the row's project, channel and API key here (null where not found); after {@link #prepare}. */
    void resolve(UsageReader.Row row) {
        row.projectHere = project(row.projectName, row.projectId);
        row.channelHere = channel(row.channelName, row.channelId);
        row.apiKeyHere = apiKey(row.apiKey);
    }

    /** The project by name; by raw id only when no name was stored and that id exists here. */
    private Long project(String name, Long rawId) {
        return resolve(name, rawId, projects, projectNames);
    }

    private Long channel(String name, Long rawId) {
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
    private Long apiKey(String key) {
        return key == null || key.isEmpty() ? null : apiKeys.getOrDefault(key, Optional.empty()).orElse(null);
    }

    String projectName(Long id) {
        return id == null ? null : projectNames.getOrDefault(id, Optional.empty()).orElse(null);
    }

    String channelName(Long id) {
        return id == null ? null : channelNames.getOrDefault(id, Optional.empty()).orElse(null);
    }
}
