<?php
/**
 * The usermeta keys the plugin writes.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Every usermeta key of the plugin, declared once: code reads and writes
 * them by these names, and uninstall.php removes ALL.
 */
final class UserMeta {

	/**
	 * What every key starts with: the usermeta hooks in workos.php skip other
	 * keys with a string test before loading anything.
	 */
	public const PREFIX = '_workos_';

	/** The linked WorkOS user (`user_…`); mirrored in the indexed links table (Links). */
	public const USER_ID = '_workos_user_id';

	/** The linked Directory Sync user (`directory_user_…`); mirrored like USER_ID. */
	public const DIRECTORY_USER_ID = '_workos_directory_user_id';

	/** The user's directory groups as last synced (Directory). */
	public const DIRECTORY_GROUPS = '_workos_directory_groups';

	/** Set (to the reason) while the user is deactivated: no sign-in by any path. */
	public const DEACTIVATED = '_workos_deactivated';

	/** The roles (and super-admin status) a deactivated user gets back on reactivation. */
	public const DEACTIVATED_ROLES = '_workos_deactivated_roles';

	/** Time of the last sign-in, for "first sign-in only" redirects (Redirects). */
	public const LAST_LOGIN = '_workos_last_login';

	/** When WorkOS said the email was verified (Events). */
	public const EMAIL_VERIFIED_AT = '_workos_email_verified_at';

	/** What differed from WorkOS when it was last asked (Admin\UsersList's "Out of sync" view). */
	public const OUT_OF_SYNC = '_workos_out_of_sync';

	/** Multisite: the sites the organization → site mapping gave the user, blog id => role (Network\OrgSites). */
	public const SITE_GRANTS = '_workos_site_grants';

	/** Multisite: the organization of the directory that provisioned the user (Network\OrgSites). */
	public const DIRECTORY_ORG = '_workos_directory_org';

	/** Every key, for uninstall. */
	public const ALL = array(
		self::USER_ID,
		self::DEACTIVATED,
		self::DEACTIVATED_ROLES,
		self::DIRECTORY_USER_ID,
		self::DIRECTORY_GROUPS,
		self::LAST_LOGIN,
		self::EMAIL_VERIFIED_AT,
		self::OUT_OF_SYNC,
		self::SITE_GRANTS,
		self::DIRECTORY_ORG,
	);
}
