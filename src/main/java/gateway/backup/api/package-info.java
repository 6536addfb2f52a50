/**
 * The service's front door: GraphQL APIs ({@code @GraphQLApi}), the streaming HTTP
 * export/import routes, the GraphQL multipart upload route, jobs and their progress
 * subscription, backup files in a storage (list, restore, delete, download), the storages view, the request guard (types, sizes,
 * one backup or restore per request, JSON answers for the UI), liveness and error mapping.
 * <p>
 * Every operation here needs an owner token, checked by the HTTP policy before any body is
 * read; every body is bounded and spooled only to the private spool directory; nothing here
 * blocks the event loop.
 */
package gateway.backup.api;
