/**
 * Azure: chat through an Azure OpenAI deployment, and the Azure AI Search hybrid
 * retriever (text plus a vector query embedded by an Azure OpenAI embedding deployment).
 */
@NullMarked
package com.ragchat.provider.azure;

import org.jspecify.annotations.NullMarked;
