package gateway.backup.restore;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import gateway.backup.domain.ApiKey;
import gateway.backup.domain.ApiKeyRepository;
import gateway.backup.domain.Channel;
import gateway.backup.domain.ChannelModelPrice;
import gateway.backup.domain.ChannelModelPriceRepository;
import gateway.backup.domain.ChannelModelPriceVersion;
import gateway.backup.domain.ChannelRepository;
import gateway.backup.domain.GatewayEntity;
import gateway.backup.domain.Model;
import gateway.backup.domain.ModelRepository;
import gateway.backup.domain.Project;
import gateway.backup.domain.ProjectRepository;
import gateway.backup.format.BackupFormat;
import gateway.backup.restore.BackupReader.Element;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Restores the configuration kinds (channels, model prices, models, projects, API keys) one
 * element at a time through the entities, applying the conflict strategy on each natural key.
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

    ConfigRestore(ChannelRepository channels, ChannelModelPriceRepository prices, ModelRepository models,
            ProjectRepository projects, ApiKeyRepository apiKeys) {
        this.channels = channels;
        this.prices = prices;
        this.models = models;
        this.projects = projects;
        this.apiKeys = apiKeys;
    }

    /** Decides what to do with an element whose natural key matched an existing row. */
    private static <E extends GatewayEntity> Uni<Void> resolve(E existing, ConflictStrategy strategy, String kind,
            String what, RestoreReport report, Supplier<Uni<Void>> create, Supplier<Uni<Void>> overwrite) {
        if (existing == null) {
            report.created(kind);
            return create.get();
        }
        return switch (strategy) {
            case skip -> {
                report.skipped(kind);
                yield Uni.createFrom().voidItem();
            }
            case overwrite -> {
                report.updated(kind);
                yield overwrite.get();
            }
            case error -> Uni.createFrom().failure(new RestoreException(
                    what + " already exists (" + kind + " conflict strategy is error); nothing was restored"));
        };
    }

    /** Only maps the channel's old id to the local channel of the same name (channels not restored). */
    Uni<Void> mapChannel(Element element, ChannelIdRemapper remapper) {
        Fields f = new Fields(element);
        Long oldId = f.number("id");
        return channels.findLiveByName(f.requiredText("name")).invoke(existing -> {
            if (existing != null && oldId != null) {
                remapper.map(oldId, existing.id);
            }
        }).replaceWithVoid();
    }

    Uni<Void> restoreChannel(Element element, ConflictStrategy strategy, ChannelIdRemapper remapper,
            RestoreReport report) {
        Fields f = new Fields(element);
        String name = f.requiredText("name");
        Long oldId = f.number("id");
        // Built first so that every field is checked, also when the channel is then skipped as existing.
        Channel channel = new Channel();
        fillChannel(channel, f);
        return channels.findLiveByName(name).chain(existing -> resolve(existing, strategy, BackupFormat.CHANNELS,
                "Channel \"" + name + "\"", report,
                () -> channel.<Channel>persist().invoke(saved -> mapIfKnown(remapper, oldId, saved.id)).replaceWithVoid(),
                () -> {
                    fillChannel(existing, f);
                    return Uni.createFrom().voidItem();
                }).invoke(() -> {
                    if (existing != null) {
                        mapIfKnown(remapper, oldId, existing.id);
                    }
                }));
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
        String kind = BackupFormat.CHANNEL_MODEL_PRICES;
        return channels.findLiveByName(channelName).chain(channel -> {
            if (channel == null) {
                report.skipped(kind);
                report.warn(element.where() + ": channel \"" + channelName + "\" not found; price of " + modelId + " skipped");
                return Uni.createFrom().voidItem();
            }
            return prices.findLiveByChannelAndModel(channel.id, modelId).chain(existing -> resolve(existing, strategy, kind,
                    "Price of " + modelId + " on channel \"" + channelName + "\"", report,
                    () -> createPrice(channel.id, modelId, f),
                    () -> overwritePrice(existing, f)));
        });
    }

    private Uni<Void> createPrice(long channelId, String modelId, Fields f) {
        ChannelModelPrice price = new ChannelModelPrice();
        price.channelId = channelId;
        price.modelId = modelId;
        price.price = f.json("price");
        return referenceIdFor(f).chain(referenceId -> {
            price.referenceId = referenceId;
            return price.<ChannelModelPrice>persist();
        }).chain(saved -> newActiveVersion(saved));
    }

    /** Overwrite archives the active version and makes the file's price the new active one. */
    private Uni<Void> overwritePrice(ChannelModelPrice price, Fields f) {
        price.price = f.json("price");
        return referenceIdFor(f).invoke(referenceId -> price.referenceId = referenceId)
                .chain(() -> ChannelModelPriceVersion.<ChannelModelPriceVersion>list(
                        "channelModelPriceId = ?1 and status = ?2", price.id, ChannelModelPriceVersion.ACTIVE))
                .invoke(active -> active.forEach(version -> {
                    version.status = ChannelModelPriceVersion.ARCHIVED;
                    version.effectiveEndAt = OffsetDateTime.now();
                }))
                .chain(() -> newActiveVersion(price));
    }

    /** The file's reference id, unless another price here already uses it (they are unique). */
    private Uni<String> referenceIdFor(Fields f) {
        String wanted = f.text("reference_id");
        if (wanted == null || wanted.isEmpty()) {
            return Uni.createFrom().item(java.util.UUID.randomUUID().toString());
        }
        return prices.findByReferenceId(wanted).map(other -> other == null ? wanted
                : wanted + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    }

    private static Uni<Void> newActiveVersion(ChannelModelPrice price) {
        ChannelModelPriceVersion version = new ChannelModelPriceVersion();
        version.channelId = price.channelId;
        version.modelId = price.modelId;
        version.channelModelPriceId = price.id;
        version.price = price.price;
        version.effectiveStartAt = OffsetDateTime.now();
        version.referenceId = price.referenceId;
        return version.persist().replaceWithVoid();
    }

    Uni<Void> restoreModel(Element element, ConflictStrategy strategy, ChannelIdRemapper remapper,
            RestoreReport report) {
        Fields f = new Fields(element);
        String developer = f.requiredText("developer");
        String modelId = f.requiredText("model_id");
        Model model = new Model(); // built first: every field is checked, also when the model is then skipped
        fillModel(model, f, remapper);
        return models.findLiveByDeveloperAndModelId(developer, modelId).chain(existing -> resolve(existing, strategy,
                BackupFormat.MODELS, "Model " + developer + "/" + modelId, report,
                () -> model.persist().replaceWithVoid(),
                () -> {
                    fillModel(existing, f, remapper);
                    return Uni.createFrom().voidItem();
                }));
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
        Project project = new Project(); // built first: every field is checked, also when the project is then skipped
        fillProject(project, f, remapper);
        return projects.findLiveByName(name).chain(existing -> resolve(existing, strategy, BackupFormat.PROJECTS,
                "Project \"" + name + "\"", report,
                () -> project.persist().replaceWithVoid(),
                () -> {
                    fillProject(existing, f, remapper);
                    return Uni.createFrom().voidItem();
                }));
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
        String key = f.requiredText("key");
        String label = "API key \"" + f.text("name", "") + "\" (" + element.where() + ")";
        String projectName = f.text(BackupFormat.PROJECT_NAME, "");
        String project = projectName.isEmpty() ? Project.DEFAULT_NAME : projectName;
        String kind = BackupFormat.API_KEYS;
        fillApiKey(new ApiKey(), f, 0, remapper); // every field checked, also when the key is then skipped
        return projects.findLiveByName(project).chain(owner -> {
            if (owner == null) {
                report.skipped(kind);
                report.warn(label + ": project \"" + project + "\" not found; key skipped");
                return Uni.createFrom().voidItem();
            }
            return apiKeys.findUnique("key", key).chain(existing -> {
                if (existing != null && existing.deletedAt != 0) {
                    report.skipped(kind);
                    report.warn(label + ": a deleted key here has the same value; key skipped");
                    return Uni.createFrom().voidItem();
                }
                return resolve(existing, strategy, kind, label, report,
                        () -> {
                            ApiKey apiKey = new ApiKey();
                            fillApiKey(apiKey, f, owner.id, remapper);
                            return apiKey.persist().replaceWithVoid();
                        },
                        () -> {
                            fillApiKey(existing, f, owner.id, remapper);
                            return Uni.createFrom().voidItem();
                        });
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
