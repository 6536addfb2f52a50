package gateway.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every entity is written and read back in a new session; nested JSON must come back unchanged. */
@QuarkusTest
class EntityRoundTripTests {

    static final ObjectMapper JSON = new ObjectMapper();
    static final OffsetDateTime DEFAULT_TIME = OffsetDateTime.of(2026, 3, 1, 9, 30, 15, 123456000, ZoneOffset.UTC);

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Persists the entity, then loads it by id in a fresh session and hands it to the checks. */
    static <E extends PanacheEntityBase> void roundTrip(UniAsserter asserter, E entity, Class<E> type,
            Consumer<E> checks) {
        asserter.execute(() -> Panache.withTransaction(entity::persist));
        asserter.assertThat(() -> Panache.withSession(() -> Panache.getSession()
                .flatMap(s -> s.find(type, ((GatewayEntity) entity).id))), loaded -> {
                    assertNotNull(loaded, type.getSimpleName() + " was not stored");
                    checks.accept(loaded);
                });
    }

    @Test
    @RunOnVertxContext
    void shouldRoundTripProjectProfiles(UniAsserter asserter) {
        Project project = new Project();
        project.name = "Research " + System.nanoTime();
        project.profiles = json("{\"activeProfile\":\"fast\",\"profiles\":[{\"name\":\"fast\",\"channelIDs\":[11,12]}]}");
        roundTrip(asserter, project, Project.class, loaded -> {
            assertEquals(project.name, loaded.name);
            assertEquals(project.profiles, loaded.profiles);
            assertEquals("active", loaded.status);
        });
    }

    @Test
    @RunOnVertxContext
    void shouldRoundTripChannelCredentialsAndSettings(UniAsserter asserter) {
        Channel channel = new Channel();
        channel.name = "OpenAI " + System.nanoTime();
        channel.type = "openai";
        channel.baseUrl = "https://api.openai.com/v1";
        channel.status = "enabled";
        channel.credentials = json("{\"apiKeys\":[\"sk-a\",\"sk-b\"],\"oauth\":{\"refresh\":\"r\",\"scopes\":[\"x\"]}}");
        channel.supportedModels = json("[\"gpt-4o\",\"gpt-4o-mini\"]");
        channel.settings = json("{\"modelMappings\":[{\"from\":\"a\",\"to\":\"b\"}],\"extra\":{\"n\":1.5,\"flag\":null}}");
        channel.policies = json("{\"stream\":\"unlimited\"}");
        channel.orderingWeight = 10;
        roundTrip(asserter, channel, Channel.class, loaded -> {
            assertEquals(channel.credentials, loaded.credentials);
            assertEquals(channel.supportedModels, loaded.supportedModels);
            assertEquals(channel.settings, loaded.settings);
            assertEquals(channel.policies, loaded.policies);
            assertEquals(10, loaded.orderingWeight);
        });
    }

    @Test
    @RunOnVertxContext
    void shouldRoundTripModelCardAndAssociations(UniAsserter asserter) {
        Model model = new Model();
        model.developer = "openai";
        model.modelId = "gpt-" + System.nanoTime();
        model.group = "openai";
        model.modelCard = json("{\"reasoning\":{\"supported\":false},\"contextLength\":128000}");
        model.settings = json("{\"associations\":[{\"type\":\"regex\",\"regex\":{\"pattern\":\"^gpt\","
                + "\"exclude\":[{\"channelIds\":[12,13]}]}}]}");
        roundTrip(asserter, model, Model.class, loaded -> {
            assertEquals("openai", loaded.group);
            assertEquals(model.modelCard, loaded.modelCard);
            assertEquals(model.settings, loaded.settings);
        });
    }

    @Test
    @RunOnVertxContext
    void shouldRoundTripPriceAndVersion(UniAsserter asserter) {
        ChannelModelPrice price = new ChannelModelPrice();
        price.channelId = 11;
        price.modelId = "gpt-4o";
        price.price = json("{\"items\":[{\"itemCode\":\"prompt_tokens\",\"pricing\":{\"mode\":\"tiered\","
                + "\"tiers\":[{\"upTo\":1000,\"price\":\"0.1\"}]}}]}");
        price.referenceId = "ref-" + System.nanoTime();
        roundTrip(asserter, price, ChannelModelPrice.class, loaded -> {
            assertEquals(price.price, loaded.price);
            assertEquals(price.referenceId, loaded.referenceId);
        });

        ChannelModelPriceVersion version = new ChannelModelPriceVersion();
        version.channelId = 11;
        version.modelId = "gpt-4o";
        version.channelModelPriceId = 1;
        version.price = price.price;
        version.effectiveStartAt = DEFAULT_TIME;
        version.referenceId = price.referenceId;
        roundTrip(asserter, version, ChannelModelPriceVersion.class, loaded -> {
            assertEquals(price.price, loaded.price);
            assertEquals(ChannelModelPriceVersion.ACTIVE, loaded.status);
            assertEquals(DEFAULT_TIME.toInstant(), loaded.effectiveStartAt.toInstant());
        });
    }

    @Test
    @RunOnVertxContext
    void shouldRoundTripApiKeyScopesAndProfiles(UniAsserter asserter) {
        ApiKey key = new ApiKey();
        key.key = "ak-" + System.nanoTime();
        key.name = "ci";
        key.type = "service_account";
        key.scopes = json("[\"read_channels\",\"write_requests\"]");
        key.profiles = json("{\"activeProfile\":\"p\",\"profiles\":[{\"name\":\"p\",\"channelIDs\":[3],"
                + "\"modelMappings\":[]}]}");
        roundTrip(asserter, key, ApiKey.class, loaded -> {
            assertEquals(key.key, loaded.key);
            assertEquals("service_account", loaded.type);
            assertEquals(key.scopes, loaded.scopes);
            assertEquals(key.profiles, loaded.profiles);
        });
    }

    @Test
    @RunOnVertxContext
    void shouldRoundTripDataStorageAndSystemSetting(UniAsserter asserter) {
        DataStorage storage = new DataStorage();
        storage.name = "s3 " + System.nanoTime();
        storage.type = "s3";
        storage.primary = true;
        storage.settings = json("{\"s3\":{\"bucketName\":\"b\",\"endpoint\":\"http://127.0.0.1:9000\","
                + "\"region\":\"us-east-1\",\"accessKey\":\"AK\",\"secretKey\":\"SK\",\"pathStyle\":true}}");
        roundTrip(asserter, storage, DataStorage.class, loaded -> {
            assertEquals(storage.settings, loaded.settings);
            assertEquals(true, loaded.primary);
        });

        SystemSetting setting = new SystemSetting();
        setting.key = "test_setting_" + System.nanoTime();
        setting.value = "{\"enabled\":true,\"frequency\":\"daily\"}";
        roundTrip(asserter, setting, SystemSetting.class, loaded -> assertEquals(setting.value, loaded.value));
    }

    @Test
    @RunOnVertxContext
    void shouldRoundTripUsageRequestAndLog(UniAsserter asserter) {
        UsageRequest request = new UsageRequest();
        request.createdAt = DEFAULT_TIME;
        request.modelId = "gpt-4o";
        request.status = "completed";
        request.stream = true;
        request.externalId = "ext-1";
        request.requestHeaders = json("{\"User-Agent\":[\"curl\"]}");
        request.requestBody = json("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        request.responseBody = json("{\"choices\":[{\"message\":{\"content\":\"hello\"}}]}");
        request.responseChunks = json("[{\"delta\":\"he\"},{\"delta\":\"llo\"}]");
        request.metricsLatencyMs = 1234L;
        roundTrip(asserter, request, UsageRequest.class, loaded -> {
            assertEquals(DEFAULT_TIME.toInstant(), loaded.createdAt.toInstant(), "microseconds are kept");
            assertEquals(request.requestHeaders, loaded.requestHeaders);
            assertEquals(request.requestBody, loaded.requestBody);
            assertEquals(request.responseBody, loaded.responseBody);
            assertEquals(request.responseChunks, loaded.responseChunks);
            assertEquals(1234L, loaded.metricsLatencyMs);
        });

        UsageLog log = new UsageLog();
        log.requestId = 1;
        log.modelId = "gpt-4o";
        log.promptTokens = 100;
        log.completionTokens = 20;
        log.totalTokens = 120;
        log.promptWriteCachedTokens5m = 7;
        log.promptWriteCachedTokens1h = 9;
        log.totalCost = 0.00123;
        log.costItems = json("[{\"itemCode\":\"prompt_tokens\",\"quantity\":100,\"subtotal\":\"0.001\"}]");
        log.costPriceReferenceId = "ref-1";
        roundTrip(asserter, log, UsageLog.class, loaded -> {
            assertEquals(7, loaded.promptWriteCachedTokens5m);
            assertEquals(9, loaded.promptWriteCachedTokens1h);
            assertEquals(0.00123, loaded.totalCost);
            assertEquals(log.costItems, loaded.costItems);
        });
    }
}
