package gateway.backup;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (JUnit's extension auto-detection, switched on in the pom):
 * error answers the tests receive through RestAssured (HTTP 4xx/5xx bodies, GraphQL errors and
 * {@code message}/{@code error} fields) are checked for secrets like the log lines of
 * {@link SecretWatch}; after the class, any leak recorded during it fails the class.
 */
public class SecretWatchExtension implements BeforeAllCallback, AfterAllCallback {

    private static boolean firstClass = true;
    private static final Pattern MESSAGES = Pattern.compile("\"(message|error)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Object filter;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (SecretWatchExtension.class) {
            if (firstClass) {
                Files.deleteIfExists(SecretWatch.LEAKS); // left by an earlier run
                Files.deleteIfExists(SecretWatch.SCANNED);
                firstClass = false;
            }
        }
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        Class<?> restAssured;
        try {
            restAssured = loader.loadClass("io.restassured.RestAssured");
        } catch (ClassNotFoundException notUsed) {
            return;
        }
        Class<?> filterType = loader.loadClass("io.restassured.filter.Filter");
        Class<?> contextType = loader.loadClass("io.restassured.filter.FilterContext");
        Method next = contextType.getMethod("next", loader.loadClass("io.restassured.specification.FilterableRequestSpecification"),
                loader.loadClass("io.restassured.specification.FilterableResponseSpecification"));
        filter = Proxy.newProxyInstance(loader, new Class<?>[] {filterType}, (proxy, method, args) -> {
            if (!method.getName().equals("filter")) {
                return method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                        : method.getName().equals("equals") ? proxy == args[0] : "SecretWatchFilter";
            }
            Object response;
            try {
                response = next.invoke(args[2], args[0], args[1]);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause(); // what RestAssured itself would have thrown
            }
            String uri = String.valueOf(args[0].getClass().getMethod("getURI").invoke(args[0]));
            if (!uri.contains("/api/backups/export")) { // the file itself holds keys when asked to
                check(uri, (int) response.getClass().getMethod("statusCode").invoke(response),
                        (String) response.getClass().getMethod("asString").invoke(response));
            }
            return response;
        });
        restAssured.getMethod("filters", List.class).invoke(null, List.of(filter));
    }

    static void check(String uri, int status, String body) {
        if (body == null || body.isEmpty()) {
            return;
        }
        List<String> errors = new ArrayList<>();
        if (status >= 400) {
            errors.add(body);
        } else {
            int at = body.indexOf("\"errors\"");
            if (at >= 0) {
                errors.add(body.substring(at));
            }
            Matcher messages = MESSAGES.matcher(body);
            while (messages.find()) {
                errors.add(messages.group(2));
            }
        }
        List<String> secrets = SecretWatch.secrets();
        for (String error : errors) {
            String found = SecretWatch.secretIn(error, secrets);
            if (found != null) {
                SecretWatch.record(SecretWatch.LEAKS, "answer of " + uri + " (" + status + ") holds " + found + ": "
                        + (error.length() > 500 ? error.substring(0, 500) : error));
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (filter != null) {
            Class<?> restAssured = context.getRequiredTestClass().getClassLoader().loadClass("io.restassured.RestAssured");
            List<?> filters = new ArrayList<>((List<?>) restAssured.getMethod("filters").invoke(null));
            filters.remove(filter);
            restAssured.getMethod("replaceFiltersWith", List.class).invoke(null, filters);
        }
        if (Files.exists(SecretWatch.LEAKS)) {
            String leaks = Files.readString(SecretWatch.LEAKS);
            Files.delete(SecretWatch.LEAKS); // the next class starts clean
            fail("secrets leaked while " + context.getRequiredTestClass().getSimpleName() + " ran:\n" + leaks);
        }
    }
}
