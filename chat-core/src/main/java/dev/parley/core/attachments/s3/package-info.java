/**
 * Public API: attachment bytes in an S3-compatible bucket. Needs the AWS SDK's {@code s3} and
 * {@code url-connection-client} modules, optional dependencies of chat-core.
 */
package dev.parley.core.attachments.s3;
