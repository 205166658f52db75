<?php
/**
 * Where passkeys live: WordPress user meta, in the site's database (shared
 * by every web node), one row per credential.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Passkeys;

use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * A user's WebAuthn user handle (a random UUID, made once) and their
 * credentials. Each credential is its own meta row whose key is derived
 * from the credential id, so a sign-in finds it by an indexed lookup
 * (meta_key) without knowing who is signing in. Each row also records the
 * WorkOS user the passkey was registered for: it stops working if the
 * account is unlinked or linked to someone else.
 */
final class Store {

	/** The user's WebAuthn user handle. */
	public const HANDLE_META = '_workos_passkey_handle';

	/** Prefix of a credential's meta key (then 40 hex of the id's SHA-256). */
	public const CREDENTIAL_PREFIX = '_workos_passkey_c_';

	/** Most passkeys one user may keep. */
	public const MAX_PER_USER = 20;

	/** Longest name a passkey may be given. */
	public const MAX_NAME = 60;

	/**
	 * The user's handle, created on first use.
	 *
	 * @param int $user_id WordPress user.
	 */
	public static function handle( int $user_id ): string {
		$handle = get_user_meta( $user_id, self::HANDLE_META, true );
		if ( is_string( $handle ) && '' !== $handle ) {
			return $handle;
		}
		$handle = \WorkOS\Native\Passkeys::userHandle();
		update_user_meta( $user_id, self::HANDLE_META, $handle );
		return $handle;
	}

	/**
	 * The meta key of a credential id (base64url).
	 *
	 * @param string $credential_id Credential id.
	 */
	public static function key( string $credential_id ): string {
		return self::CREDENTIAL_PREFIX . substr( hash( 'sha256', $credential_id ), 0, 40 );
	}

	/**
	 * The user's passkeys, newest first.
	 *
	 * @param int $user_id WordPress user.
	 * @return array[] Each {id, name, created, last_used, workos_id, passkey, backup_eligible}.
	 */
	public static function for_user( int $user_id ): array {
		$all = get_user_meta( $user_id );
		$out = array();
		foreach ( is_array( $all ) ? $all : array() as $key => $values ) {
			if ( 0 !== strpos( (string) $key, self::CREDENTIAL_PREFIX ) || ! is_array( $values ) ) {
				continue;
			}
			$record = maybe_unserialize( (string) reset( $values ) );
			if ( is_array( $record ) && isset( $record['id'] ) ) {
				$out[] = $record;
			}
		}
		usort(
			$out,
			static function ( array $a, array $b ): int {
				return (int) ( $b['created'] ?? 0 ) <=> (int) ( $a['created'] ?? 0 );
			}
		);
		return $out;
	}

	/**
	 * Who holds a credential, and its record (null: nobody).
	 *
	 * @param string $credential_id Credential id (base64url).
	 * @return array{user_id: int, record: array}|null
	 */
	public static function find( string $credential_id ): ?array {
		global $wpdb;
		// A direct query: the lookup is by key across users, which the meta API cannot do.
		$rows = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery
			$wpdb->prepare( "SELECT user_id, meta_value FROM {$wpdb->usermeta} WHERE meta_key = %s LIMIT 2", self::key( $credential_id ) ),
			ARRAY_A
		);
		if ( ! is_array( $rows ) || 1 !== count( $rows ) ) {
			return null; // None, or (never written so) more than one: refuse.
		}
		$record = maybe_unserialize( (string) $rows[0]['meta_value'] );
		if ( ! is_array( $record ) || ( $record['id'] ?? '' ) !== $credential_id ) {
			return null;
		}
		return array(
			'user_id' => (int) $rows[0]['user_id'],
			'record'  => $record,
		);
	}

	/**
	 * Stores a newly registered credential for the user.
	 *
	 * @param int    $user_id   WordPress user.
	 * @param string $workos_id The WorkOS user it is bound to.
	 * @param array  $done      Passkeys::finishRegistration()'s answer.
	 * @param string $name      The name the user gave it.
	 * @return true|\WP_Error
	 */
	public static function add( int $user_id, string $workos_id, array $done, string $name ) {
		$id = (string) ( $done['credential_id'] ?? '' );
		if ( '' === $id || null !== self::find( $id ) || metadata_exists( 'user', $user_id, self::key( $id ) ) ) {
			return new \WP_Error( 'workos_passkey_exists', __( 'This passkey is already registered.', 'workos' ), array( 'status' => 409 ) );
		}
		if ( count( self::for_user( $user_id ) ) >= self::MAX_PER_USER ) {
			return new \WP_Error( 'workos_passkey_limit', __( 'You have as many passkeys as an account may keep. Remove one first.', 'workos' ), array( 'status' => 409 ) );
		}
		$record = array(
			'id'              => $id,
			'name'            => $name,
			'created'         => time(),
			'last_used'       => 0,
			'workos_id'       => $workos_id,
			'backup_eligible' => ! empty( $done['backup_eligible'] ),
			'passkey'         => (string) $done['passkey'],
		);
		add_user_meta( $user_id, self::key( $id ), $record, true );
		return true;
	}

	/**
	 * Records a sign-in with a credential (new counter/backup state, time).
	 *
	 * @param int         $user_id WordPress user.
	 * @param array       $record  The stored record.
	 * @param string|null $updated The credential JSON to keep, when it changed.
	 */
	public static function touch( int $user_id, array $record, ?string $updated ): void {
		if ( null !== $updated && '' !== $updated ) {
			$record['passkey'] = $updated;
		}
		$record['last_used'] = time();
		update_user_meta( $user_id, self::key( (string) $record['id'] ), $record );
	}

	/**
	 * Removes one of the user's passkeys.
	 *
	 * @param int    $user_id       WordPress user.
	 * @param string $credential_id Credential id.
	 */
	public static function remove( int $user_id, string $credential_id ): bool {
		return delete_user_meta( $user_id, self::key( $credential_id ) );
	}

	/**
	 * The WorkOS user a WordPress user is linked to ('' = none).
	 *
	 * @param int $user_id WordPress user.
	 */
	public static function linked_workos_id( int $user_id ): string {
		$id = get_user_meta( $user_id, Users::META_ID, true );
		return is_string( $id ) ? $id : '';
	}

	/**
	 * A record as the profile screen shows it (never the key material).
	 *
	 * @param array $record Stored record.
	 */
	public static function public_view( array $record ): array {
		return array(
			'id'        => (string) $record['id'],
			'name'      => (string) ( $record['name'] ?? '' ),
			'created'   => (int) ( $record['created'] ?? 0 ),
			'last_used' => (int) ( $record['last_used'] ?? 0 ),
			'synced'    => ! empty( $record['backup_eligible'] ),
		);
	}
}
