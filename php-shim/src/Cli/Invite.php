<?php
/**
 * `workos invite`: inviting someone to sign up (and to an organization)
 * from the command line.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

use WorkOS_WP\Api;
use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\Hosted\Entry;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * WorkOS keeps the invitation and emails it; its link opens the "accept
 * invitation" URL set in the WorkOS dashboard, which should be this site's
 * login page (`?invitation_token=` opens the invitation's step there). The
 * command prints that URL with the token too, for sending by other means.
 */
final class Invite {

	/** Its help (Help::COMMANDS reads it). */
	public const HELP = array(
		'summary'   => 'Invites someone by email (WorkOS sends the invitation); accepting it in the login page signs them in as a member of the organization.',
		'usage'     => '<email> [--org=<workos_org_id>|--no-org] [--role=<slug>] [--expires-in-days=<1-30>] [--profile=<slug>] [--format=table|json|csv]',
		'arguments' => array( '<email>' => 'the address to invite' ),
		'options'   => array(
			'--org=<id>'             => 'the WorkOS organization they join (default: the site\'s organization, if set)',
			'--no-org'               => 'invite to the site without an organization',
			'--role=<slug>'          => 'their WorkOS role in the organization (default: the organization\'s default role)',
			'--expires-in-days=<n>'  => 'days the invitation stays valid, 1 to 30 (default 7)',
			'--profile=<slug>'       => 'the Login Profile whose page the printed link opens (default: default)',
			'--format=<format>'      => 'table (default), json or csv',
		),
		'examples'  => array( 'invite jane@example.com', 'invite jane@example.com --org=org_01H5K3ZPXQ4F8N2V7RBJ6T9WMA --role=admin', 'invite jane@example.com --no-org --format=json' ),
	);

	/** The printed row's columns. */
	public const FIELDS = array( 'id', 'email', 'organization_id', 'role_slug', 'expires_at', 'accept_url' );

	/**
	 * Runs the command.
	 *
	 * @param array $args  Words (the address).
	 * @param array $assoc Options.
	 * @throws CommandError On bad input or a refusal of WorkOS.
	 */
	public static function run( array $args, array $assoc ): Result {
		$email = isset( $args[0] ) ? trim( (string) $args[0] ) : '';
		if ( '' === $email || ! is_email( $email ) ) {
			throw new CommandError( '' === $email ? 'Missing argument: the email address to invite.' : sprintf( '"%s" is not an email address.', $email ) );
		}
		if ( count( $args ) > 1 ) {
			throw new CommandError( sprintf( 'invite takes one address (got "%s"); run it once per person.', implode( ' ', $args ) ) );
		}
		if ( ! empty( $assoc['no-org'] ) && isset( $assoc['org'] ) ) {
			throw new CommandError( '--org and --no-org exclude each other.' );
		}
		$org = ! empty( $assoc['no-org'] ) ? '' : trim( (string) ( $assoc['org'] ?? Settings::get( 'organization_id' ) ) );
		if ( '' !== $org && 1 !== preg_match( '/^org_[A-Za-z0-9]+$/D', $org ) ) {
			throw new CommandError( sprintf( '"%s" is not a WorkOS organization id (org_…).', $org ) );
		}
		$role = trim( (string) ( $assoc['role'] ?? '' ) );
		if ( '' !== $role && '' === $org ) {
			throw new CommandError( '--role needs an organization (--org, or the site\'s organization).' );
		}
		$days = $assoc['expires-in-days'] ?? null;
		if ( null !== $days && ( ! ctype_digit( (string) $days ) || (int) $days < 1 || (int) $days > 30 ) ) {
			throw new CommandError( '--expires-in-days must be a whole number from 1 to 30.' );
		}
		$slug    = sanitize_title( (string) ( $assoc['profile'] ?? 'default' ) );
		$profile = extension_ready() ? ProfileRepository::find_by_slug( $slug ) : null;
		if ( ! $profile ) {
			throw new CommandError( sprintf( 'No Login Profile "%s".', $slug ) );
		}
		$invitation = array( 'email' => $email );
		if ( '' !== $org ) {
			$invitation['organization_id'] = $org;
		}
		if ( '' !== $role ) {
			$invitation['role_slug'] = $role;
		}
		if ( null !== $days ) {
			$invitation['expires_in_days'] = (int) $days;
		}
		try {
			$sent = Api::client()->sendInvitation( $invitation );
		} catch ( \WorkOS\Native\Exception $e ) {
			// Only the organization is looked up (a 404 is about it).
			throw CommandError::from_workos( $e, sprintf( 'organization "%s"', $org ) );
		}
		$path = $profile->get_custom_path();
		$page = '' !== $path ? Entry::path_url( $path ) : Entry::route_url( $profile->get_slug() );
		$row  = array(
			'id'              => (string) ( $sent['id'] ?? '' ),
			'email'           => (string) ( $sent['email'] ?? $email ),
			'organization_id' => (string) ( $sent['organization_id'] ?? '' ),
			'role_slug'       => (string) ( $sent['role_slug'] ?? '' ),
			'expires_at'      => (string) ( $sent['expires_at'] ?? '' ),
			'accept_url'      => is_string( $sent['token'] ?? null ) ? add_query_arg( 'invitation_token', rawurlencode( $sent['token'] ), $page ) : '',
		);
		return new Result(
			array( $row ),
			self::FIELDS,
			sprintf( 'Invitation sent to %1$s. Its email links to the "accept invitation" URL set in the WorkOS dashboard: set that to %2$s (WorkOS adds ?invitation_token=…).', $row['email'], $page )
		);
	}
}
