/**
 * AWS Bedrock through the AWS SDK v2: Converse and ConverseStream for answers, Knowledge
 * Base Retrieve for passages. Credentials come from the default chain; {@code AWS_REGION}
 * picks the region.
 */
@NullMarked
package com.ragchat.provider.bedrock;

import org.jspecify.annotations.NullMarked;
