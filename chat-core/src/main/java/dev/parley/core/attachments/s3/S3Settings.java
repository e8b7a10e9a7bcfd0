package dev.parley.core.attachments.s3;

import java.util.Objects;

/**
 * Where an S3-compatible bucket is and how to sign in to it.
 *
 * @param endpoint  the service's URL, e.g. {@code https://minio.example:9000}; null for AWS itself
 * @param region    the signing region; {@code us-east-1} suits most S3-compatible services
 * @param bucket    the bucket, which must exist
 * @param prefix    put before each key, e.g. {@code attachments/}; may be empty
 * @param accessKey the access key id, or null for the AWS default chain (environment
 *                  {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profile, instance role)
 * @param secretKey the secret access key (with {@code accessKey}); masked in {@link #toString()}
 * @param pathStyle {@code host/bucket/key} addresses instead of {@code bucket.host/key}; what most
 *                  S3-compatible services need
 */
public record S3Settings(String endpoint, String region, String bucket, String prefix,
                         String accessKey, String secretKey, boolean pathStyle) {
  public static final String DEFAULT_REGION = "us-east-1";
  public static final String DEFAULT_PREFIX = "attachments/";

  public S3Settings {
    Objects.requireNonNull(bucket, "bucket");
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("the S3 bucket must not be blank");
    }
    region = region == null || region.isBlank() ? DEFAULT_REGION : region;
    prefix = prefix == null ? DEFAULT_PREFIX : prefix;
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("give both the S3 access key and secret key, or neither");
    }
  }

  /** A bucket at {@code endpoint} (path-style), signed in with these keys. */
  public static S3Settings of(String endpoint, String bucket, String accessKey, String secretKey) {
    return new S3Settings(endpoint, DEFAULT_REGION, bucket, DEFAULT_PREFIX, accessKey, secretKey,
        endpoint != null);
  }

  @Override
  public String toString() {
    return "S3Settings{endpoint=" + (endpoint == null ? "aws" : endpoint) + ", region=" + region
        + ", bucket=" + bucket + ", prefix=" + prefix
        + ", accessKey=" + (accessKey == null ? "default chain" : accessKey)
        + ", secretKey=" + (secretKey == null ? "none" : "***") + ", pathStyle=" + pathStyle + "}";
  }
}
