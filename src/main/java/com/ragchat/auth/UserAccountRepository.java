package com.ragchat.auth;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
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

	/** Every admin, locked until the transaction ends: role changes queue behind it. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select u from UserAccount u where u.role = 'admin' order by u.id")
	List<UserAccount> lockAdmins();

	Optional<UserAccount> findByAuthProviderAndProviderSubject(String authProvider, String providerSubject);

}
