package gateway.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Soft-deleted rows (deleted_at != 0) never match the repositories' finders. */
@QuarkusTest
class SoftDeleteTests {

    static final long DELETED_AT = 1_700_000_000L;

    @Inject
    ProjectRepository projects;
    @Inject
    ChannelRepository channels;
    @Inject
    ModelRepository models;
    @Inject
    ApiKeyRepository apiKeys;
    @Inject
    ChannelModelPriceRepository prices;
    @Inject
    SystemSettingRepository settings;

    @Test
    @RunOnVertxContext
    void shouldHideDeletedProjectsAndFindTheLiveOneWithTheSameName(UniAsserter asserter) {
        String name = "Project " + System.nanoTime();
        Project deleted = new Project();
        deleted.name = name;
        deleted.deletedAt = DELETED_AT;
        Project live = new Project();
        live.name = name;
        asserter.execute(() -> Panache.withTransaction(() -> deleted.persist().chain(live::persist)));
        asserter.assertThat(() -> Panache.withSession(() -> projects.findLiveByName(name)),
                found -> assertEquals(live.id, found.id));
        asserter.assertThat(() -> Panache.withSession(() -> projects.findLiveById(deleted.id)), found -> assertNull(found));
        asserter.assertThat(() -> Panache.withSession(() -> projects.listLive()),
                list -> assertTrue(list.stream().noneMatch(p -> p.id.equals(deleted.id))));
    }

    @Test
    @RunOnVertxContext
    void shouldHideDeletedChannelsModelsKeysPricesAndSettings(UniAsserter asserter) {
        String suffix = String.valueOf(System.nanoTime());
        Channel channel = new Channel();
        channel.name = "gone " + suffix;
        channel.type = "openai";
        channel.deletedAt = DELETED_AT;
        Model model = new Model();
        model.developer = "openai";
        model.modelId = "gone-" + suffix;
        model.deletedAt = DELETED_AT;
        ApiKey key = new ApiKey();
        key.key = "ak-gone-" + suffix;
        key.deletedAt = DELETED_AT;
        ChannelModelPrice price = new ChannelModelPrice();
        price.channelId = 77;
        price.modelId = "gone-" + suffix;
        price.price = EntityRoundTripTests.json("{\"items\":[]}");
        price.referenceId = "gone-" + suffix;
        price.deletedAt = DELETED_AT;
        SystemSetting setting = new SystemSetting();
        setting.key = "gone_" + suffix;
        setting.value = "x";
        setting.deletedAt = DELETED_AT;
        asserter.execute(() -> Panache.withTransaction(() -> channel.persist().chain(model::persist)
                .chain(key::persist).chain(price::persist).chain(setting::persist)));

        asserter.assertThat(() -> Panache.withSession(() -> channels.findLiveByName(channel.name)), c -> assertNull(c));
        asserter.assertThat(() -> Panache.withSession(() -> models.findLiveByDeveloperAndModelId("openai", model.modelId)),
                m -> assertNull(m));
        asserter.assertThat(() -> Panache.withSession(() -> apiKeys.findLiveByKey(key.key)), k -> assertNull(k));
        asserter.assertThat(() -> Panache.withSession(() -> prices.findLiveByChannelAndModel(77, price.modelId)),
                p -> assertNull(p));
        asserter.assertThat(() -> Panache.withSession(() -> settings.findLiveByKey(setting.key)), s -> assertNull(s));
        // The row is still there: it is hidden, not gone.
        asserter.assertThat(() -> Panache.withSession(() -> channels.findById(channel.id)), c -> assertNotNull(c));
        asserter.assertThat(() -> Panache.withSession(() -> channels.countLive()
                .flatMap(live -> channels.count().map(all -> all - live))), hidden -> assertTrue(hidden >= 1));
    }
}
