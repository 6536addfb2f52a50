/**
 * The service's front door: GraphQL APIs ({@code @GraphQLApi}), the streaming HTTP
 * export/import routes, the GraphQL multipart upload route and error mapping.
 * <p>
 * Every operation here needs an owner token; nothing here blocks the event loop.
 */
package gateway.backup.api;
