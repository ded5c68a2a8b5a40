package com.ragchat.auth;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface UserAccountRepository extends JpaRepository<UserAccount, Long> {

	@Query("select u from UserAccount u where lower(u.username) = lower(:username)")
	Optional<UserAccount> findByUsernameIgnoreCase(String username);

	@Query("select u from UserAccount u where lower(u.email) = lower(:email)")
	Optional<UserAccount> findByEmailIgnoreCase(String email);

	@Query("select count(u) > 0 from UserAccount u where lower(u.username) = lower(:username)")
	boolean existsByUsernameIgnoreCase(String username);

	@Query("select count(u) > 0 from UserAccount u where lower(u.email) = lower(:email)")
	boolean existsByEmailIgnoreCase(String email);

	Optional<UserAccount> findByAuthProviderAndProviderSubject(String authProvider, String providerSubject);

}
