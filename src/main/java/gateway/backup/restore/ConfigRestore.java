package gateway.backup.restore;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import gateway.backup.domain.ApiKey;
import gateway.backup.domain.ApiKeyRepository;
import gateway.backup.domain.Channel;
import gateway.backup.domain.ChannelModelPrice;
import gateway.backup.domain.ChannelModelPriceRepository;
import gateway.backup.domain.ChannelModelPriceVersion;
import gateway.backup.domain.ChannelModelPriceVersionRepository;
import gateway.backup.domain.ChannelRepository;
import gateway.backup.domain.GatewayEntity;
import gateway.backup.domain.Model;
import gateway.backup.domain.ModelRepository;
import gateway.backup.domain.Project;
import gateway.backup.domain.ProjectRepository;
import gateway.backup.domain.SoftDeletableEntity;
import gateway.backup.format.BackupFormat;
import gateway.backup.restore.BackupReader.Element;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Restores the configuration kinds (channels, model prices, models, projects, API keys) one
 * element at a time through the repositories: each element's natural key is looked up, the
 * conflict strategy decides (ConflictDecision), and one upsert creates, updates or keeps the row.
 * Every field is checked before the decision, so a bad element fails also when it would be skipped.
 */
@ApplicationScoped
class ConfigRestore {

    static final Set<String> CHANNEL_STATUSES = Set.of("enabled", "disabled", "archived");
    static final Set<String> PROJECT_STATUSES = Set.of("active", "archived");
    static final Set<String> API_KEY_TYPES = Set.of("user", "service_account", "noauth");

    private final ChannelRepository channels;
    private final ChannelModelPriceRepository prices;
    private final ModelRepository models;
    private final ProjectRepository projects;
    private final ApiKeyRepository apiKeys;
    private final ChannelModelPriceVersionRepository versions;

    ConfigRestore(ChannelRepository channels, ChannelModelPriceRepository prices, ModelRepository models,
            ProjectRepository projects, ApiKeyRepository apiKeys, ChannelModelPriceVersionRepository versions) {
        this.channels = channels;
        this.prices = prices;
        this.models = models;
        this.projects = projects;
        this.apiKeys = apiKeys;
        this.versions = versions;
    }

    /** One element being restored: its kind, how errors and warnings name it, its kind's strategy, the report. */
    private record Restoring(String kind, String label, ConflictStrategy strategy, RestoreReport report) {

        /** Decides from the row the element's natural key matched, and counts the decision. */
        ConflictDecision decide(Object existing) {
            ConflictDecision decision = ConflictDecision.of(strategy, existing != null);
            switch (decision) {
                case create -> report.created(kind);
                case update -> report.updated(kind);
                case skip -> report.skipped(kind);
                case fail -> throw new RestoreException(label + " already exists (" + kind
                        + " conflict strategy is error); nothing was restored");
            }
            return decision;
        }

        /** Skips the element for a reason other than a conflict. */
        Uni<Void> skip(String warning) {
            report.skipped(kind);
            report.warn(warning);
            return Uni.createFrom().voidItem();
        }
    }

    /**
     * Stores the element's row as decided: persists {@code built} (filled before the decision, so
     * every field is checked also when the element is then skipped), fills {@code existing}, or
     * keeps it. Answers the row now stored under the key.
     */
    private static <E extends GatewayEntity> Uni<E> upsert(PanacheRepository<E> repository, Restoring restoring,
            E existing, E built, Consumer<E> fill) {
        return switch (restoring.decide(existing)) {
            case create -> repository.persist(built);
            case update -> {
                fill.accept(existing);
                yield Uni.createFrom().item(existing);
            }
            case skip, fail -> Uni.createFrom().item(existing);
        };
    }

    /** Only maps the channel's old id to the local channel of the same name (channels not restored). */
    Uni<Void> mapChannel(Element element, ChannelIdRemapper remapper) {
        Fields f = new Fields(element);
        Long oldId = f.number("id");
        return channels.findLiveByName(f.requiredText("name")).invoke(existing -> {
            if (existing != null) {
                mapIfKnown(remapper, oldId, existing.id);
            }
        }).replaceWithVoid();
    }

    Uni<Void> restoreChannel(Element element, ConflictStrategy strategy, ChannelIdRemapper remapper,
            RestoreReport report) {
        Fields f = new Fields(element);
        String name = f.requiredText("name");
        Long oldId = f.number("id");
        Channel channel = new Channel();
        fillChannel(channel, f);
        Restoring restoring = new Restoring(BackupFormat.CHANNELS, "Channel \"" + name + "\"", strategy, report);
        return channels.findLiveByName(name)
                .chain(existing -> upsert(channels, restoring, existing, channel, c -> fillChannel(c, f)))
                .invoke(stored -> mapIfKnown(remapper, oldId, stored.id))
                .replaceWithVoid();
    }

    private static void mapIfKnown(ChannelIdRemapper remapper, Long oldId, long newId) {
        if (oldId != null) {
            remapper.map(oldId, newId);
        }
    }

    private static void fillChannel(Channel channel, Fields f) {
        channel.type = f.requiredText("type");
        channel.name = f.requiredText("name");
        channel.baseUrl = f.text("base_url");
        channel.status = f.oneOf("status", CHANNEL_STATUSES, "disabled");
        channel.credentials = f.json("credentials");
        channel.disabledApiKeys = f.json("disabled_api_keys");
        channel.supportedModels = f.json("supported_models") == null ? JsonNodeFactory.instance.arrayNode()
                : f.json("supported_models");
        channel.manualModels = f.json("manual_models");
        channel.autoSyncSupportedModels = f.bool("auto_sync_supported_models");
        channel.autoSyncModelPattern = f.text("auto_sync_model_pattern");
        channel.tags = f.json("tags");
        channel.defaultTestModel = f.text("default_test_model");
        channel.policies = f.json("policies");
        channel.settings = f.json("settings");
        channel.orderingWeight = f.number("ordering_weight", 0);
        channel.errorMessage = f.text("error_message");
        channel.remark = f.text("remark");
        channel.endpoints = f.json("endpoints");
        keepTimes(channel, f);
    }

    private static void keepTimes(GatewayEntity entity, Fields f) {
        if (entity.id == null) {
            entity.createdAt = f.time("created_at");
        }
        entity.updatedAt = f.time("updated_at");
    }

    Uni<Void> restorePrice(Element element, ConflictStrategy strategy, RestoreReport report) {
        Fields f = new Fields(element);
        String channelName = f.requiredText(BackupFormat.CHANNEL_NAME);
        String modelId = f.requiredText("model_id");
        if (f.json("price") == null) {
            throw new RestoreException("Invalid " + element.where() + ": price is required");
        }
        f.text("reference_id"); // checked now, also when the price is then skipped
        Restoring restoring = new Restoring(BackupFormat.CHANNEL_MODEL_PRICES,
                "Price of " + modelId + " on channel \"" + channelName + "\"", strategy, report);
        return channels.findLiveByName(channelName).chain(channel -> {
            if (channel == null) {
                return restoring.skip(element.where() + ": channel \"" + channelName + "\" not found; price of " + modelId + " skipped");
            }
            return prices.findLiveByChannelAndModel(channel.id, modelId).chain(existing ->
                    switch (restoring.decide(existing)) {
                        case create -> createPrice(channel.id, modelId, f);
                        case update -> overwritePrice(existing, f);
                        case skip, fail -> Uni.createFrom().voidItem();
                    });
        });
    }

    private Uni<Void> createPrice(long channelId, String modelId, Fields f) {
        ChannelModelPrice price = new ChannelModelPrice();
        price.channelId = channelId;
        price.modelId = modelId;
        price.price = f.json("price");
        return referenceIdFor(f).chain(referenceId -> {
            price.referenceId = referenceId;
            return prices.persist(price);
        }).chain(this::newActiveVersion);
    }

    /** Overwrite archives the active version and makes the file's price the new active one. */
    private Uni<Void> overwritePrice(ChannelModelPrice price, Fields f) {
        price.price = f.json("price");
        return referenceIdFor(f).invoke(referenceId -> price.referenceId = referenceId)
                .chain(() -> versions.archiveActiveForPrice(price.id, OffsetDateTime.now()))
                .chain(() -> newActiveVersion(price));
    }

    /** The file's reference id, unless another price here already uses it (they are unique). */
    private Uni<String> referenceIdFor(Fields f) {
        String wanted = f.text("reference_id");
        if (wanted == null || wanted.isEmpty()) {
            return Uni.createFrom().item(UUID.randomUUID().toString());
        }
        return prices.findByReferenceId(wanted).map(other -> other == null ? wanted
                : wanted + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private Uni<Void> newActiveVersion(ChannelModelPrice price) {
        ChannelModelPriceVersion version = new ChannelModelPriceVersion();
        version.channelId = price.channelId;
        version.modelId = price.modelId;
        version.channelModelPriceId = price.id;
        version.price = price.price;
        version.effectiveStartAt = OffsetDateTime.now();
        version.referenceId = price.referenceId;
        return versions.persist(version).replaceWithVoid();
    }

    Uni<Void> restoreModel(Element element, ConflictStrategy strategy, ChannelIdRemapper remapper,
            RestoreReport report) {
        Fields f = new Fields(element);
        String developer = f.requiredText("developer");
        String modelId = f.requiredText("model_id");
        Model model = new Model();
        fillModel(model, f, remapper);
        Restoring restoring = new Restoring(BackupFormat.MODELS, "Model " + developer + "/" + modelId, strategy, report);
        return models.findLiveByDeveloperAndModelId(developer, modelId)
                .chain(existing -> upsert(models, restoring, existing, model, m -> fillModel(m, f, remapper)))
                .replaceWithVoid();
    }

    private static void fillModel(Model model, Fields f, ChannelIdRemapper remapper) {
        model.developer = f.requiredText("developer");
        model.modelId = f.requiredText("model_id");
        model.type = f.text("type", "chat");
        model.name = f.text("name", "");
        model.icon = f.text("icon", "");
        model.group = f.text("group", "");
        model.modelCard = f.json("model_card");
        model.settings = remapper.remapModelSettings(f.json("settings"));
        model.status = f.text("status", "enabled");
        model.remark = f.text("remark");
        keepTimes(model, f);
    }

    Uni<Void> restoreProject(Element element, ConflictStrategy strategy, ChannelIdRemapper remapper,
            RestoreReport report) {
        Fields f = new Fields(element);
        String name = f.requiredText("name");
        Project project = new Project();
        fillProject(project, f, remapper);
        Restoring restoring = new Restoring(BackupFormat.PROJECTS, "Project \"" + name + "\"", strategy, report);
        return projects.findLiveByName(name)
                .chain(existing -> upsert(projects, restoring, existing, project, p -> fillProject(p, f, remapper)))
                .replaceWithVoid();
    }

    private static void fillProject(Project project, Fields f, ChannelIdRemapper remapper) {
        project.name = f.requiredText("name");
        project.description = f.text("description", "");
        project.status = f.oneOf("status", PROJECT_STATUSES, "active");
        project.profiles = remapper.remapProfiles(f.json("profiles"));
        keepTimes(project, f);
    }

    Uni<Void> restoreApiKey(Element element, ConflictStrategy strategy, ChannelIdRemapper remapper,
            RestoreReport report) {
        Fields f = new Fields(element);
        String value = f.requiredText("key");
        Restoring restoring = new Restoring(BackupFormat.API_KEYS,
                "API key \"" + f.text("name", "") + "\" (" + element.where() + ")", strategy, report);
        String projectName = f.text(BackupFormat.PROJECT_NAME, "");
        String project = projectName.isEmpty() ? Project.DEFAULT_NAME : projectName;
        ApiKey apiKey = new ApiKey();
        fillApiKey(apiKey, f, 0, remapper);
        return projects.findLiveByName(project).chain(owner -> {
            if (owner == null) {
                return restoring.skip(restoring.label() + ": project \"" + project + "\" not found; key skipped");
            }
            apiKey.projectId = owner.id;
            return apiKeys.findAnyByKey(value).chain(existing -> {
                if (existing != null && existing.deletedAt != SoftDeletableEntity.LIVE) {
                    return restoring.skip(restoring.label() + ": a deleted key here has the same value; key skipped");
                }
                return upsert(apiKeys, restoring, existing, apiKey, k -> fillApiKey(k, f, owner.id, remapper)).replaceWithVoid();
            });
        });
    }

    private static void fillApiKey(ApiKey apiKey, Fields f, long projectId, ChannelIdRemapper remapper) {
        apiKey.key = f.requiredText("key");
        apiKey.projectId = projectId;
        apiKey.userId = f.number("user_id");
        apiKey.name = f.text("name", "");
        apiKey.type = f.oneOf("type", API_KEY_TYPES, "user");
        apiKey.status = f.text("status", "enabled");
        apiKey.scopes = f.json("scopes");
        apiKey.profiles = remapper.remapProfiles(f.json("profiles"));
        keepTimes(apiKey, f);
    }

    /** Writes pending entity changes, so that later queries see them, and forgets the entities. */
    Uni<Void> flush() {
        return Panache.getSession().chain(session -> session.flush().invoke(session::clear));
    }
}
