<?php
/**
 * The plugin's tables: created on activation, upgraded when the schema
 * version moves, dropped by uninstall.php.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;


defined( 'ABSPATH' ) || exit;

/**
 * Table names and their definitions.
 */
final class Schema {

	/** Bump when a definition below changes; dbDelta does the rest. */
	public const VERSION = 5;

	/** Shared with the reference plugin (its own numbering): written for it and for tools that read it, never trusted. */
	public const VERSION_OPTION = 'workos_db_version';

	/** Our own record of the version installed: only this plugin writes it. */
	public const OWN_VERSION_OPTION = 'workos_wp_db_version';

	/** Every table, by short name. */
	public const TABLES = array( 'organizations', 'org_memberships', 'org_sites', 'activity_log', 'events', 'object_versions', 'audit_queue', 'links', 'rate_limits' );

	/**
	 * Full table name.
	 *
	 * @param string $name Short name (see TABLES).
	 */
	public static function table( string $name ): string {
		global $wpdb;
		return $wpdb->base_prefix . 'workos_' . $name;
	}

	/**
	 * Creates or upgrades the tables when they may not be ours at this
	 * version. Cheap when up to date: two autoloaded options.
	 *
	 * `workos_db_version` is shared with the reference plugin ("Integration
	 * with WorkOS"), which numbers its own schema and writes it whenever it
	 * is activated or upgraded, so its value alone proves nothing: only our
	 * own record (OWN_VERSION_OPTION) is trusted, and a shared value other
	 * than the one we wrote means the other plugin has been at the tables —
	 * they are looked at again (see install(), Migration\Tables).
	 */
	public static function ensure(): void {
		if ( (int) get_option( self::OWN_VERSION_OPTION, 0 ) >= self::VERSION && (string) get_option( self::VERSION_OPTION, '' ) === (string) self::VERSION ) {
			return;
		}
		self::install();
	}

	/**
	 * Converts tables the reference plugin made or altered (Migration\Tables),
	 * runs dbDelta for every table and records the version — one node at a
	 * time (a named database lock), as two web nodes can both find the
	 * version behind at the same moment. Every step is idempotent, so the
	 * node that waited simply finds nothing left to do.
	 *
	 * @return array What was converted, table => report (see Migration\Tables::adopt()).
	 */
	public static function install(): array {
		global $wpdb;
		$lock = 'workos_schema_' . md5( DB_NAME . '|' . $wpdb->base_prefix );
		if ( '1' !== (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, %d)', $lock, 60 ) ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			return array(); // Another node has held it for a minute: it is doing this work; the next call retries.
		}
		try {
			return self::install_locked();
		} finally {
			$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', $lock ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		}
	}

	/**
	 * install(), under the lock.
	 *
	 * @return array What was converted.
	 */
	private static function install_locked(): array {
		global $wpdb;
		// The reference plugin's tables first: dbDelta would add our unique
		// keys before our columns are filled, and fail on the duplicates.
		$adopted = Migration\Tables::adopt( array_combine( Migration\Tables::SHARED, array_map( array( self::class, 'table' ), Migration\Tables::SHARED ) ) );
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$charset = $wpdb->get_charset_collate();
		$t       = array_combine( self::TABLES, array_map( array( self::class, 'table' ), self::TABLES ) );
		dbDelta(
			array(
				"CREATE TABLE {$t['organizations']} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  workos_id varchar(64) NOT NULL,
  name varchar(255) NOT NULL DEFAULT '',
  slug varchar(191) NOT NULL DEFAULT '',
  domains longtext NOT NULL,
  external_id varchar(191) DEFAULT NULL,
  updated_at datetime NOT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY workos_id (workos_id),
  KEY slug (slug)
) $charset;",
				"CREATE TABLE {$t['org_memberships']} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  workos_id varchar(64) NOT NULL,
  user_id bigint(20) unsigned NOT NULL DEFAULT 0,
  workos_user_id varchar(64) NOT NULL,
  organization_id varchar(64) NOT NULL,
  role_slug varchar(100) NOT NULL DEFAULT '',
  wp_role varchar(100) NOT NULL DEFAULT '',
  status varchar(20) NOT NULL DEFAULT 'active',
  updated_at datetime NOT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY workos_id (workos_id),
  KEY user_id (user_id),
  KEY workos_user_id (workos_user_id),
  KEY organization_id (organization_id)
) $charset;",
				"CREATE TABLE {$t['org_sites']} (
  organization_id varchar(64) NOT NULL,
  blog_id bigint(20) unsigned NOT NULL,
  role varchar(100) NOT NULL DEFAULT '',
  PRIMARY KEY  (organization_id,blog_id),
  KEY blog_id (blog_id)
) $charset;",
				"CREATE TABLE {$t['activity_log']} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  type varchar(64) NOT NULL,
  blog_id bigint(20) unsigned NOT NULL DEFAULT 0,
  user_id bigint(20) unsigned NOT NULL DEFAULT 0,
  workos_id varchar(64) NOT NULL DEFAULT '',
  ip varchar(45) NOT NULL DEFAULT '',
  user_agent varchar(255) NOT NULL DEFAULT '',
  metadata longtext NOT NULL,
  created_at datetime NOT NULL,
  PRIMARY KEY  (id),
  KEY type_created (type,created_at),
  KEY user_id (user_id),
  KEY created_at (created_at),
  KEY blog_created (blog_id,created_at)
) $charset;",
				"CREATE TABLE {$t['events']} (
  event_id varchar(64) NOT NULL,
  event_type varchar(100) NOT NULL,
  object_key varchar(191) DEFAULT NULL,
  version bigint(20) NOT NULL DEFAULT 0,
  status varchar(20) NOT NULL DEFAULT 'pending',
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  outcome varchar(100) NOT NULL DEFAULT '',
  payload longtext NOT NULL,
  received_at datetime NOT NULL,
  claimed_at datetime NOT NULL,
  done_at datetime DEFAULT NULL,
  PRIMARY KEY  (event_id),
  KEY status_claimed (status,claimed_at),
  KEY received_at (received_at)
) $charset;",
				"CREATE TABLE {$t['object_versions']} (
  object_key varchar(191) NOT NULL,
  version bigint(20) NOT NULL,
  PRIMARY KEY  (object_key)
) $charset;",
				"CREATE TABLE {$t['links']} (
  workos_id varchar(64) NOT NULL,
  kind varchar(16) NOT NULL,
  user_id bigint(20) unsigned NOT NULL,
  PRIMARY KEY  (workos_id,kind),
  KEY user_id (user_id)
) $charset;",
				"CREATE TABLE {$t['rate_limits']} (
  bucket varchar(80) NOT NULL,
  tat_ms bigint(20) NOT NULL DEFAULT 0,
  PRIMARY KEY  (bucket)
) $charset;",
				"CREATE TABLE {$t['audit_queue']} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  idempotency_key varchar(64) NOT NULL,
  organization_id varchar(64) NOT NULL,
  event longtext NOT NULL,
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  next_attempt_at datetime NOT NULL,
  last_error varchar(255) NOT NULL DEFAULT '',
  PRIMARY KEY  (id),
  UNIQUE KEY idempotency_key (idempotency_key),
  KEY next_attempt_at (next_attempt_at)
) $charset;",
			)
		);
		$previous = (int) get_option( self::OWN_VERSION_OPTION, 0 );
		update_option( self::VERSION_OPTION, self::VERSION, true );
		update_option( self::OWN_VERSION_OPTION, self::VERSION, true );
		/**
		 * The tables were created or upgraded from `$previous` (0: none).
		 * Data steps hook here, so the schema depends on no feature (the link
		 * mirror copies in links made before it existed: Users\Links).
		 *
		 * @param int $previous Schema version before.
		 */
		do_action( 'workos_schema_installed', $previous );
		return $adopted;
	}

	/**
	 * Inside a transaction: creates the row `$key` (with `$initial`) or locks
	 * it, in one statement — an exclusive lock from the start, where INSERT
	 * IGNORE then SELECT … FOR UPDATE can deadlock — and returns its value;
	 * null when the statement failed (see $wpdb->last_error).
	 *
	 * @param string $name         Short table name (see TABLES).
	 * @param string $key_column   Primary-key column.
	 * @param string $key          Key.
	 * @param string $value_column Column to read.
	 * @param int    $initial      Value of a new row.
	 */
	public static function lock_row( string $name, string $key_column, string $key, string $value_column, int $initial ): ?string {
		global $wpdb;
		$table = self::table( $name );
		if ( false === $wpdb->query( $wpdb->prepare( "INSERT INTO {$table} ({$key_column}, {$value_column}) VALUES (%s, %d) ON DUPLICATE KEY UPDATE {$value_column} = {$value_column}", $key, $initial ) ) ) { // phpcs:ignore WordPress.DB
			return null;
		}
		$value = $wpdb->get_var( $wpdb->prepare( "SELECT {$value_column} FROM {$table} WHERE {$key_column} = %s FOR UPDATE", $key ) ); // phpcs:ignore WordPress.DB
		return null === $value ? null : (string) $value;
	}

	/**
	 * Drops every table (uninstall).
	 */
	public static function drop(): void {
		global $wpdb;
		foreach ( self::TABLES as $name ) {
			$wpdb->query( 'DROP TABLE IF EXISTS ' . self::table( $name ) ); // phpcs:ignore WordPress.DB
		}
		delete_option( self::VERSION_OPTION );
		delete_option( self::OWN_VERSION_OPTION );
	}
}
