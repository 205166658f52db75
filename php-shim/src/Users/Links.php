<?php
/**
 * An indexed mirror of the link usermeta (`_workos_user_id`,
 * `_workos_directory_user_id`), so finding the WordPress user of a WorkOS id
 * is one primary-key lookup instead of a scan of every linked user's meta
 * (WordPress does not index meta values). Usermeta stays the source of truth.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Schema;

defined( 'ABSPATH' ) || exit;

/**
 * The `workos_links` table.
 */
final class Links {

	/** The usermeta keys mirrored, by link kind. */
	public const KEYS = array(
		'user'      => UserMeta::USER_ID,
		'directory' => UserMeta::DIRECTORY_USER_ID,
	);

	/**
	 * The user linked to a WorkOS id, checked against the usermeta (a stale
	 * row is dropped). Null when none.
	 *
	 * @param string $kind      `user` or `directory`.
	 * @param string $workos_id The id.
	 */
	public static function find( string $kind, string $workos_id ): ?\WP_User {
		global $wpdb;
		if ( '' === $workos_id || ! isset( self::KEYS[ $kind ] ) ) {
			return null;
		}
		Schema::ensure();
		$user_id = $wpdb->get_var( $wpdb->prepare( 'SELECT user_id FROM ' . Schema::table( 'links' ) . ' WHERE workos_id = %s AND kind = %s', $workos_id, $kind ) ); // phpcs:ignore WordPress.DB
		if ( null === $user_id ) {
			return null;
		}
		$user = get_user_by( 'id', (int) $user_id );
		if ( $user && get_user_meta( $user->ID, self::KEYS[ $kind ], true ) === $workos_id ) {
			return $user;
		}
		// Usermeta changed behind WordPress's back: believe it, fix the mirror.
		self::forget( (int) $user_id, $kind );
		self::rebuild();
		$again = $wpdb->get_var( $wpdb->prepare( 'SELECT user_id FROM ' . Schema::table( 'links' ) . ' WHERE workos_id = %s AND kind = %s', $workos_id, $kind ) ); // phpcs:ignore WordPress.DB
		return null === $again ? null : ( get_user_by( 'id', (int) $again ) ?: null );
	}

	/**
	 * Records a link (after the usermeta was written).
	 *
	 * @param int    $user_id   User.
	 * @param string $kind      Link kind.
	 * @param string $workos_id The id ('' removes the link).
	 */
	public static function set( int $user_id, string $kind, string $workos_id ): void {
		global $wpdb;
		Schema::ensure();
		self::forget( $user_id, $kind );
		if ( '' !== $workos_id ) {
			$wpdb->query( $wpdb->prepare( 'REPLACE INTO ' . Schema::table( 'links' ) . ' (workos_id, kind, user_id) VALUES (%s, %s, %d)', $workos_id, $kind, $user_id ) ); // phpcs:ignore WordPress.DB
		}
	}

	/**
	 * Drops a user's link of a kind (or every link, for a deleted user).
	 *
	 * @param int         $user_id User.
	 * @param string|null $kind    Link kind, or null for all.
	 */
	public static function forget( int $user_id, ?string $kind = null ): void {
		global $wpdb;
		Schema::ensure();
		$where = array( 'user_id' => $user_id );
		if ( null !== $kind ) {
			$where['kind'] = $kind;
		}
		$wpdb->delete( Schema::table( 'links' ), $where ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	/**
	 * Fills the mirror from usermeta (after an upgrade, or when something
	 * wrote usermeta without WordPress's hooks) and drops orphans.
	 *
	 * @return int Rows added.
	 */
	public static function rebuild(): int {
		global $wpdb;
		$table = Schema::table( 'links' );
		$added = 0;
		foreach ( self::KEYS as $kind => $key ) {
			$added += (int) $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$table} (workos_id, kind, user_id) SELECT meta_value, %s, user_id FROM {$wpdb->usermeta} WHERE meta_key = %s AND meta_value <> ''", $kind, $key ) ); // phpcs:ignore WordPress.DB
			$wpdb->query( $wpdb->prepare( "DELETE l FROM {$table} l LEFT JOIN {$wpdb->usermeta} m ON m.user_id = l.user_id AND m.meta_key = %s AND m.meta_value = l.workos_id WHERE l.kind = %s AND m.umeta_id IS NULL", $key, $kind ) ); // phpcs:ignore WordPress.DB
		}
		return $added;
	}
}
