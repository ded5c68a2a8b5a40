/**
 * A deliberately broken miniature application, analysed only by {@code ModularityTests}:
 * its {@code orders} feature uses a type from an internal sub-package of its
 * {@code billing} feature. Nothing here is a Spring component.
 */
package com.ragchat.archfixture;
