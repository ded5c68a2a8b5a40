package com.ragchat.auth;

/**
 * The signed-in user of the current request: the principal of every authenticated
 * request. Controllers receive it with
 * {@code @AuthenticationPrincipal AuthenticatedUser user}. Its authorities are
 * {@code ROLE_USER}, plus {@code ROLE_ADMIN} for admins.
 *
 * @param id user id (the token's {@code sub})
 * @param username the user's name
 * @param admin whether the user has the {@code admin} role
 */
public record AuthenticatedUser(long id, String username, boolean admin) {

}
